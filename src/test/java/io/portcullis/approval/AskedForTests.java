package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.notification.Notice;
import io.portcullis.notification.Notice.Recipients;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How every view an approver reads names what a request asks for, and cuts a long list. */
class AskedForTests {

  static final AskedFor BUNDLE =
      new AskedFor(
          List.of(ResourceId.of("prod-db-readonly"), ResourceId.of("prod-logs-readonly")),
          "incident-responder");

  /** Ten resources of 64 characters each: more than a task's name or a subject holds. */
  static final AskedFor LONG =
      new AskedFor(
          IntStream.range(0, 10).mapToObj(i -> ResourceId.of(i + "-" + "r".repeat(62))).toList(),
          null);

  @Test
  void named_whenOneResource_thenItsIdAlone() {
    assertThat(AskedFor.one(ResourceId.of("staging-db-admin")).named(10))
        .isEqualTo("staging-db-admin");
  }

  @Test
  void named_whenABundle_thenEveryResourceAndTheBundle() {
    assertThat(BUNDLE.named(255))
        .isEqualTo("prod-db-readonly, prod-logs-readonly (bundle incident-responder)");
  }

  @Test
  void named_whenTheListIsLongerThanTheLimit_thenWholeNamesAndHowManyMore() {
    String named = LONG.named(150);

    assertThat(named)
        .hasSizeLessThanOrEqualTo(150)
        .isEqualTo("0-" + "r".repeat(62) + ", 1-" + "r".repeat(62) + " and 8 more");
    assertThat(BUNDLE.named(60))
        .isEqualTo("prod-db-readonly and 1 more (bundle incident-responder)");
    assertThat(BUNDLE.named(50)).isEqualTo("2 resources (bundle incident-responder)");
  }

  @Test
  void named_whenNotEvenOneNameFits_thenHowMany() {
    assertThat(LONG.named(20)).isEqualTo("10 resources");
  }

  @Test
  void labelled_thenEveryLabelUncutSeparatedSoThatACommaInALabelReadsAsOne() {
    assertThat(BUNDLE.labelled(id -> id.value().toUpperCase() + ", read-only"))
        .isEqualTo(
            "PROD-DB-READONLY, read-only; PROD-LOGS-READONLY, read-only (bundle incident-responder)");
  }

  @Test
  void facts_whenSeveral_thenResourcesAndBundle_whenOne_thenResource() {
    Notice notice = Notice.of("approval.waiting", null, Recipients.groups("team-leads"), "s");

    assertThat(BUNDLE.facts(notice).facts())
        .containsEntry(
            "resources", "prod-db-readonly, prod-logs-readonly (bundle incident-responder)")
        .containsEntry("bundle", "incident-responder")
        .doesNotContainKey("resource");
    assertThat(LONG.facts(notice).facts().get("resources"))
        .hasSizeLessThanOrEqualTo(Notice.MAX_FACT)
        .endsWith(" and 3 more");
    assertThat(AskedFor.one(ResourceId.of("staging-db-admin")).facts(notice).facts())
        .containsEntry("resource", "staging-db-admin")
        .doesNotContainKey("resources");
  }

  @Test
  void theTaskNameOfALongListFitsTheEnginesColumnAndSaysHowManyMore() {
    Chain chain =
        new Chain(
            RequestId.of("r-1"),
            "pi",
            Username.of("a".repeat(64)),
            LONG,
            AccessDuration.of("PT1H"),
            "approvalPolicy:1",
            List.of(),
            List.of());
    Stage stage =
        new Stage(1, "team-leads", 1, Duration.ofHours(1), Duration.ofHours(2), null, null, null);

    String name = ApprovalTask.name(chain, stage);

    assertThat(name)
        .hasSizeLessThanOrEqualTo(ApprovalTask.MAX_NAME)
        .startsWith("Approve 0-")
        .contains(" and 8 more for " + "a".repeat(64) + " (PT1H)");
  }
}
