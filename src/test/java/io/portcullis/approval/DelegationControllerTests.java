package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.Username;
import io.portcullis.support.ApiSlice;
import io.portcullis.support.ApiSliceTest;
import io.portcullis.support.Door;
import io.portcullis.support.Problems;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code /api/delegations}' refusals in the web slice: each bad field is a 400 that names it,
 * before anything is stored ({@link DelegationPeriods}, {@link Delegations#named}); the service's
 * refusals of an end are 403 and 404. Who the directory knows is the end-to-end test's part ({@code
 * e2e/DelegationApiTest}).
 */
@ApiSliceTest
class DelegationControllerTests {

  static final Caller CAROL = ApiSlice.caller("carol", Set.of(), "security");
  static final String ID = "0b9c3f6e-1d2a-4c5b-8e7f-000000000001";

  @Autowired MockMvc mvc;
  @Autowired Delegations delegations;
  @Autowired ApprovalChains chains;

  @BeforeEach
  void policy() {
    when(chains.approverGroups()).thenReturn(Set.of("team-leads", "security", "portcullis-admins"));
  }

  @AfterEach
  void forget() {
    reset(delegations, chains);
  }

  /** Issue 29: only someone who may approve something delegates. */
  @Test
  void someoneInNoApproverGroupOfThePolicyIsRefused403NamingTheRule() {
    Caller alice = ApiSlice.caller("alice", Set.of(), "developers", "oncall");
    String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
    Door.Answer refused =
        new ApiSlice(mvc)
            .send(
                alice,
                ApiSlice.json("POST", "/api/delegations", body("dave", null, tomorrow, "x")));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("detail").asText())
        .contains("only an approver delegates")
        .contains("approver or escalation group");
    verifyNoInteractions(delegations);
  }

  record Case(String name, String body, String field) {}

  @Test
  void everyBadFieldIsA400NamingIt() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String tomorrow = now.plus(Duration.ofDays(1)).toString();
    List<Case> cases =
        List.of(
            new Case("to oneself", body("carol", null, tomorrow, "holiday"), "to"),
            new Case("to oneself, spelt otherwise", body("CAROL", null, tomorrow, "x"), "to"),
            new Case("to nobody", body("", null, tomorrow, "holiday"), "to"),
            new Case("to a name no login has", body("dave smith", null, tomorrow, "x"), "to"),
            new Case(
                "until in the past", body("dave", null, now.minusSeconds(60) + "", "x"), "until"),
            new Case(
                "until before from",
                body("dave", now.plus(Duration.ofDays(2)) + "", tomorrow, "x"),
                "until"),
            new Case(
                "until too long",
                body("dave", null, now.plus(Duration.ofDays(91)) + "", "x"),
                "until"),
            new Case(
                "from and until too far apart",
                body(
                    "dave",
                    now.plus(Duration.ofDays(5)) + "",
                    now.plus(Duration.ofDays(96)) + "",
                    "x"),
                "until"),
            new Case("until missing", body("dave", null, null, "holiday"), "until"),
            new Case("until not an instant", body("dave", null, "next week", "x"), "until"),
            new Case(
                "from in the past", body("dave", "2020-01-01T00:00:00Z", tomorrow, "x"), "from"),
            new Case("reason missing", body("dave", null, tomorrow, null), "reason"),
            new Case("reason blank", body("dave", null, tomorrow, " "), "reason"));
    List<String> wrong = new ArrayList<>();
    ApiSlice slice = new ApiSlice(mvc);
    for (Case c : cases) {
      wrong.addAll(
          Problems.check(
              c.name(),
              slice.send(CAROL, ApiSlice.json("POST", "/api/delegations", c.body())),
              400,
              c.field()));
    }
    assertThat(wrong).isEmpty();
    verifyNoInteractions(delegations);
  }

  @Test
  void theLongestDelegationIsAllowed() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant until = now.plus(Duration.ofDays(89));
    when(delegations.create(any(), eq("dave"), any(), eq(until), eq("holiday")))
        .thenReturn(
            new Delegation(
                ID, CAROL.username(), Username.of("dave"), now, until, "holiday", now, null, null));
    assertThat(
            new ApiSlice(mvc)
                .send(
                    CAROL,
                    ApiSlice.json(
                        "POST",
                        "/api/delegations",
                        body("dave", null, until.toString(), "holiday")))
                .status())
        .isEqualTo(201);
  }

  @Test
  void endingOneThatIsNotTheCallersIs403OrUnseen404() {
    when(delegations.end(any(), eq(ID)))
        .thenThrow(new RefusedException("only the delegator or an admin ends a delegation"));
    ApiSlice slice = new ApiSlice(mvc);
    assertThat(
            Problems.check(
                "the delegate ends it",
                slice.send(CAROL, ApiSlice.json("POST", "/api/delegations/" + ID + "/end", "{}")),
                403,
                null))
        .isEmpty();
    reset(delegations);
    when(delegations.end(any(), eq(ID))).thenThrow(new NotFoundException("No delegation " + ID));
    assertThat(
            Problems.check(
                "someone else's",
                slice.send(CAROL, ApiSlice.json("POST", "/api/delegations/" + ID + "/end", "{}")),
                404,
                null))
        .isEmpty();
  }

  private static String body(String to, String from, String until, String reason) {
    StringBuilder b = new StringBuilder("{\"to\":\"" + to + "\"");
    if (from != null) {
      b.append(",\"from\":\"").append(from).append('"');
    }
    if (until != null) {
      b.append(",\"until\":\"").append(until).append('"');
    }
    if (reason != null) {
      b.append(",\"reason\":\"").append(reason).append('"');
    }
    return b.append('}').toString();
  }
}
