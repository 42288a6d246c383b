package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.approval.FormRows;
import io.portcullis.approval.Stage;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.UnusualAccess.Flag;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Issue 28, item 4: each unusual-access flag is raised by the request that should raise it and not
 * by a usual one; the flags are stored with the request, written to the audit trail and the
 * approval form, and a policy rule on {@code flagged} or {@code flags} adds a stage. The person's
 * history is seeded through the repository, each earlier request ended; the engine clock says when
 * the new one is asked.
 */
@PortcullisTest
class UnusualAccessProcessTest extends ProcessFixture {

  static final String HOME = "10.0.0.1";
  static final String STAGING_TARGET = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  @Autowired RepositoryService repository;
  private final List<String> deployments = new ArrayList<>();

  @AfterEach
  void takeBackThePolicy() {
    deployments.forEach(id -> repository.deleteDeployment(id, true));
  }

  /**
   * alice's usual week before T0: staging-db-admin from her usual address, on earlier days between
   * 08:00 and 17:00.
   */
  private void usualHistory() {
    for (int hour = 8; hour <= 17; hour++) {
      earlier(
          "alice",
          "staging-db-admin",
          T0.minus(Duration.ofDays(1 + hour % 5)).minus(Duration.ofHours(9 - hour)),
          HOME);
    }
  }

  @Test
  void aUsualRequestRaisesNoFlag() throws Exception {
    usualHistory();
    ProcessInstance pi = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));

    assertThat(request(pi).flags()).isEmpty();
    assertThat(request(pi).clientAddress()).isEqualTo(HOME);
    assertThat(flagsInTheTrail(pi)).isEqualTo("[]");
    assertThat(flagsOnTheForm(pi)).isEmpty();
  }

  @Test
  void aFirstRequestForAResourceIsFlaggedAndNothingElseOnAPersonsFirstEver() {
    ProcessInstance first = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(first).flags())
        .as("no history: no usual hours, no known address to differ from")
        .containsExactly(Flag.FIRST_FOR_RESOURCE);

    usualHistory();
    ProcessInstance other = from(HOME, () -> request("alice", "prod-db-readonly", "PT1H"));
    assertThat(request(other).flags()).containsExactly(Flag.FIRST_FOR_RESOURCE);
  }

  @Test
  void aRequestOutsideTheHoursOfTheRequestersHistoryIsFlagged() {
    usualHistory();
    moveClockTo(Instant.parse("2026-03-02T03:00:00Z"));
    ProcessInstance night = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(night).flags()).containsExactly(Flag.OUTSIDE_USUAL_HOURS);

    moveClockTo(Instant.parse("2026-03-02T17:59:00Z"));
    ProcessInstance lastUsualHour = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(lastUsualHour).flags()).isEmpty();
  }

  @Test
  void withTooShortAHistoryNoHourIsUnusual() {
    for (int i = 1; i <= 4; i++) {
      earlier("alice", "staging-db-admin", T0.minus(Duration.ofDays(i)), HOME);
    }
    moveClockTo(Instant.parse("2026-03-02T03:00:00Z"));
    ProcessInstance night = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(night).flags())
        .as("4 earlier requests, fewer than usual-hours-history (5)")
        .isEmpty();
  }

  @Test
  void moreThanFiveRequestsWithinAnHourAreABurst() {
    usualHistory();
    for (int minutes = 50; minutes >= 20; minutes -= 10) {
      earlier("alice", "staging-db-admin", T0.minus(Duration.ofMinutes(minutes)), HOME);
    }
    earlier("alice", "staging-db-admin", T0.minus(Duration.ofMinutes(61)), HOME);
    ProcessInstance fifth = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(fifth).flags()).as("4 earlier within the hour, and this one: 5").isEmpty();

    ProcessInstance sixth = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(sixth).flags()).containsExactly(Flag.BURST);
  }

  @Test
  void aDurationOfNinetyPercentOfTheLongestIsNearTheMaximum() {
    usualHistory();
    // staging-db-admin allows PT8H: 90% is PT7H12M
    ProcessInstance near = from(HOME, () -> request("alice", "staging-db-admin", "PT7H12M"));
    assertThat(request(near).flags()).containsExactly(Flag.NEAR_MAXIMUM);
    ProcessInstance below = from(HOME, () -> request("alice", "staging-db-admin", "PT7H11M59S"));
    assertThat(request(below).flags()).isEmpty();
  }

  @Test
  void anAddressNoEarlierRequestCameFromIsNew() {
    usualHistory();
    ProcessInstance elsewhere =
        from("203.0.113.7", () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(elsewhere).flags()).containsExactly(Flag.NEW_ADDRESS);
    assertThat(request(elsewhere).clientAddress()).isEqualTo("203.0.113.7");

    ProcessInstance again = from("203.0.113.7", () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(request(again).flags()).as("seen now, in her previous request").isEmpty();
    ProcessInstance noHttp = request("alice", "staging-db-admin", "PT1H");
    assertThat(request(noHttp).flags()).as("no HTTP call: no address to compare").isEmpty();
  }

  @Test
  void theFlagsReachTheApprovalFormAndTheTrailAsTheEnumsOwnWords() throws Exception {
    ProcessInstance pi = from(HOME, () -> request("alice", "staging-db-admin", "PT8H"));

    assertThat(request(pi).flags()).containsExactly(Flag.FIRST_FOR_RESOURCE, Flag.NEAR_MAXIMUM);
    assertThat(flagsInTheTrail(pi)).isEqualTo("[\"FIRST_FOR_RESOURCE\",\"NEAR_MAXIMUM\"]");
    assertThat(flagsOnTheForm(pi))
        .containsExactly(
            FormRows.row("flag", "FIRST_FOR_RESOURCE", "reason", Flag.FIRST_FOR_RESOURCE.reason()),
            FormRows.row("flag", "NEAR_MAXIMUM", "reason", Flag.NEAR_MAXIMUM.reason()));
    assertThat(request(pi).status()).as("advice, never a refusal").isEqualTo(RequestStatus.PENDING);
  }

  /**
   * A policy that adds a security stage for any flagged request, and an admins' stage for one near
   * the maximum.
   */
  @Test
  void aPolicyRuleOnTheFlagsAddsAStage() {
    deployPolicy();
    usualHistory();

    ProcessInstance usual = from(HOME, () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(chain(usual).stages())
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads");

    ProcessInstance flagged =
        from("203.0.113.7", () -> request("alice", "staging-db-admin", "PT1H"));
    assertThat(chain(flagged).stages())
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads", "security");

    ProcessInstance near = from(HOME, () -> request("alice", "staging-db-admin", "PT8H"));
    assertThat(chain(near).stages())
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads", "security", "portcullis-admins");

    decidePastTheEngine(flagged, "bob", List.of("team-leads"), "approve", null);
    BpmnAwareTests.assertThat(flagged).isWaitingAt(ApprovalProcess.TASK_APPROVE);
    BpmnAwareTests.assertThat(BpmnAwareTests.task(flagged)).hasCandidateGroup("security");
  }

  // --- helpers

  /** Runs the work as if an HTTP call from this address made it, as every door's call does. */
  private static <T> T from(String address, Supplier<T> work) {
    MockHttpServletRequest call = new MockHttpServletRequest();
    call.setRemoteAddr(address);
    RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(call));
    try {
      return work.get();
    } finally {
      RequestContextHolder.resetRequestAttributes();
    }
  }

  /** An earlier request of this person, ended long ago, as the read model keeps it. */
  private void earlier(String requester, String resource, Instant at, String address) {
    requests.insert(
        AccessRequest.builder()
            .id(RequestId.random())
            .processInstanceId("seeded-" + UUID.randomUUID())
            .requester(Username.of(requester))
            .access(
                ResourceId.of(resource), ConnectorName.of("ldap-group"), Target.of(STAGING_TARGET))
            .duration(AccessDuration.of("PT1H"))
            .justification("an earlier request")
            .status(RequestStatus.EXPIRED)
            .requestedAt(at)
            .clientAddress(address)
            .build());
  }

  private String flagsInTheTrail(ProcessInstance pi) throws Exception {
    String details =
        jdbc.queryForObject(
            "select details from audit_event where request_id = ? and action = 'access.requested'",
            String.class,
            pi.getBusinessKey());
    return new ObjectMapper().readTree(details).get("flags").toString();
  }

  /** The form's table of flags; none written is an empty table (the form shows it so). */
  private List<Map<String, String>> flagsOnTheForm(ProcessInstance pi) {
    FormRows flags =
        (FormRows) tasks.getVariableLocal(BpmnAwareTests.task(pi).getId(), AccessProcess.FLAGS);
    return flags == null ? List.of() : flags.rows();
  }

  private void deployPolicy() {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"
            id="definitions_flaggedPolicy" name="Test policy: flags add stages" namespace="https://portcullis.io/test">
          <decision id="approvalPolicy" name="Approval policy" camunda:historyTimeToLive="P1D">
            <decisionTable id="table" hitPolicy="COLLECT">
              <input id="in_environment"><inputExpression id="ie_environment" typeRef="string" expressionLanguage="feel"><text>environment</text></inputExpression></input>
              <input id="in_flagged"><inputExpression id="ie_flagged" typeRef="boolean" expressionLanguage="feel"><text>flagged</text></inputExpression></input>
              <input id="in_nearMaximum"><inputExpression id="ie_nearMaximum" typeRef="boolean" expressionLanguage="feel"><text>list contains(flags, "NEAR_MAXIMUM")</text></inputExpression></input>
              <output id="out_stage" name="stage" typeRef="integer" />
              <output id="out_group" name="approverGroup" typeRef="string" />
              <rule id="rule_teamLead"><inputEntry id="e1"><text>"staging"</text></inputEntry><inputEntry id="e2"><text></text></inputEntry><inputEntry id="e3"><text></text></inputEntry>
                <outputEntry id="o1"><text>1</text></outputEntry><outputEntry id="o2"><text>"team-leads"</text></outputEntry></rule>
              <rule id="rule_flaggedNeedsSecurity"><inputEntry id="e4"><text></text></inputEntry><inputEntry id="e5"><text>true</text></inputEntry><inputEntry id="e6"><text></text></inputEntry>
                <outputEntry id="o3"><text>2</text></outputEntry><outputEntry id="o4"><text>"security"</text></outputEntry></rule>
              <rule id="rule_nearMaximumNeedsAdmins"><inputEntry id="e7"><text></text></inputEntry><inputEntry id="e8"><text></text></inputEntry><inputEntry id="e9"><text>true</text></inputEntry>
                <outputEntry id="o5"><text>3</text></outputEntry><outputEntry id="o6"><text>"portcullis-admins"</text></outputEntry></rule>
            </decisionTable>
          </decision>
        </definitions>
        """
            .strip();
    deployments.add(
        repository
            .createDeployment()
            .name("test policy: flags")
            .addString("approval-policy.dmn", xml)
            .deploy()
            .getId());
  }
}
