package io.portcullis.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.OnUnreviewed;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.support.ApiSlice;
import io.portcullis.support.ApiSliceTest;
import io.portcullis.support.Door;
import io.portcullis.support.Problems;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * What the access reviews' API refuses, with {@link AccessReviews} and its rule ({@link Reviewers})
 * real and the store and engine behind them mocks: a non-admin starting a review, an unknown
 * resource, someone else's review, an admin outside the owner group, the holder reviewing themself.
 * Nothing reaches the engine. At the real door, on the demo directory: {@code
 * e2e/AccessReviewsApiTest}.
 */
@ApiSliceTest
class AccessReviewControllerTests {

  static final Caller ALICE = ApiSlice.caller("alice", Set.of(), "developers");
  static final Caller DAVE =
      ApiSlice.caller("dave", Set.of(Caller.Role.ADMIN), "portcullis-admins");
  static final Caller CAROL = ApiSlice.caller("carol", Set.of(), "security");
  static final String ID = "6d1f7f0e-8c1e-4d0e-9a52-0d6a1b1c2d3e";

  @Autowired MockMvc mvc;
  @Autowired ReviewStore store;
  @Autowired Catalog catalog;
  @Autowired ProcessEngine engine;

  @Test
  void onlyAnAdminStartsAReviewAndOnlyOfAResourceOfTheCatalog() {
    ApiSlice slice = new ApiSlice(mvc);
    assertProblem(
        "alice starts a review",
        slice.send(
            ALICE, ApiSlice.json("POST", "/api/access-reviews", "{\"resource\":\"prod-db\"}")),
        403,
        "Only an admin may start an access review.");
    assertProblem(
        "an unknown resource",
        slice.send(
            DAVE, ApiSlice.json("POST", "/api/access-reviews", "{\"resource\":\"no-such\"}")),
        404,
        "No resource 'no-such' in the catalog.");
    assertThat(
            Problems.check(
                "a resource id that is none",
                slice.send(
                    DAVE, ApiSlice.json("POST", "/api/access-reviews", "{\"resource\":\"A B\"}")),
                400,
                "resource"))
        .isEmpty();
    verify(store, never()).insert(any());
    verify(engine, never()).getTaskService();
    verify(engine, never()).getProcessEngineConfiguration();
  }

  @Test
  void someoneElsesReviewIsNotFoundAndItsItemsAreNotTheirsToDecide() {
    when(store.find(ID)).thenReturn(Optional.of(campaign()));
    when(store.item(ID, 1)).thenReturn(Optional.of(item("erin")));
    when(store.item(ID, 2)).thenReturn(Optional.of(item("carol")));
    ApiSlice slice = new ApiSlice(mvc);

    assertThat(slice.send(ALICE, decide(1, "keep")).status())
        .as("alice may not see the review")
        .isEqualTo(404);
    assertProblem(
        "an admin outside the owner group",
        slice.send(DAVE, decide(1, "remove")),
        403,
        "dave is not in the owner group security of this review");
    assertProblem(
        "carol reviewing herself",
        slice.send(CAROL, decide(2, "keep")),
        403,
        "a holder cannot review their own access");
    assertThat(
            Problems.check(
                "a decision that is neither",
                slice.send(CAROL, decide(1, "maybe")),
                400,
                "decision"))
        .isEmpty();
    verify(store, never()).decide(any(), any(Integer.class), any(), any(), any(), any());
    verify(engine, never()).getTaskService();
    verify(engine, never()).getProcessEngineConfiguration();
  }

  private static void assertProblem(String name, Door.Answer answer, int status, String detail) {
    assertThat(Problems.check(name, answer, status, null)).isEmpty();
    assertThat(answer.json().path("detail").asText()).as(name).isEqualTo(detail);
  }

  private static MockHttpServletRequestBuilder decide(int item, String decision) {
    return ApiSlice.json(
        "POST",
        "/api/access-reviews/" + ID + "/items/" + item,
        "{\"decision\":\"" + decision + "\"}");
  }

  private static Campaign campaign() {
    Instant start = Instant.parse("2026-03-02T09:00:00Z");
    return new Campaign(
        ID,
        ResourceId.of("reviewed-group"),
        "security",
        OnUnreviewed.REVOKE_UNREVIEWED,
        Campaign.OPEN,
        "dave",
        start,
        start.plusSeconds(86400 * 14),
        null,
        "pi-1");
  }

  private static ReviewItem item(String holder) {
    return new ReviewItem(
        ID,
        holder.equals("erin") ? 1 : 2,
        Username.of(holder),
        "history",
        Outcome.PENDING,
        null,
        null,
        null,
        null,
        "task-" + holder);
  }
}
