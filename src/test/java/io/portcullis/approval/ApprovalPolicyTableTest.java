package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationEvent;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * processes/approval-policy.dmn as a decision table, with the DMN engine alone (no Spring, no
 * process engine): the demo organisation's chains, and every rule hit at least once.
 */
class ApprovalPolicyTableTest {

  private static DmnEngine dmn;
  private static DmnDecision policy;
  private static final Set<String> hit = new HashSet<>();

  @BeforeAll
  static void parse() throws Exception {
    DefaultDmnEngineConfiguration configuration =
        (DefaultDmnEngineConfiguration)
            DmnEngineConfiguration.createDefaultDmnEngineConfiguration();
    configuration.customPostDecisionTableEvaluationListeners(
        List.of(
            new DmnDecisionTableEvaluationListener() {
              @Override
              public void notify(DmnDecisionTableEvaluationEvent event) {
                event.getMatchingRules().stream()
                    .map(DmnEvaluatedDecisionRule::getId)
                    .forEach(hit::add);
              }
            }));
    dmn = configuration.buildEngine();
    try (InputStream in = Files.newInputStream(Path.of("processes/approval-policy.dmn"))) {
      policy = dmn.parseDecision(ApprovalPolicy.DECISION_KEY, in);
    }
  }

  @AfterAll
  static void everyRuleWasHit() {
    assertThat(hit)
        .containsExactlyInAnyOrder(
            "rule_onCallReadsLogs",
            "rule_stagingNeedsTeamLead",
            "rule_productionNeedsTeamLead",
            "rule_riskyProductionNeedsSecurity");
  }

  @Test
  void stagingNeedsOneTeamLead() {
    assertThat(stages("staging-db-admin", "staging", "medium", 60, List.of("developers")))
        .containsExactly("1 team-leads x1 remind PT4H deadline PT24H escalate portcullis-admins");
  }

  @Test
  void riskyProductionNeedsATeamLeadThenSecurity() {
    assertThat(stages("prod-db-readonly", "production", "medium", 60, List.of("developers")))
        .containsExactlyInAnyOrder(
            "1 team-leads x1 remind PT2H deadline PT8H escalate portcullis-admins",
            "2 security x1 remind PT2H deadline PT8H escalate portcullis-admins");
  }

  @Test
  void onCallReadsProductionLogsForAnHourWithoutApproval() {
    assertThat(
            stages("prod-logs-readonly", "production", "low", 60, List.of("developers", "oncall")))
        .contains("0");
  }

  @Test
  void longerOrNotOnCallTheLogsNeedATeamLead() {
    assertThat(
            stages("prod-logs-readonly", "production", "low", 61, List.of("developers", "oncall")))
        .containsExactly("1 team-leads x1 remind PT2H deadline PT8H escalate portcullis-admins");
    assertThat(stages("prod-logs-readonly", "production", "low", 30, List.of("developers")))
        .containsExactly("1 team-leads x1 remind PT2H deadline PT8H escalate portcullis-admins");
  }

  /**
   * The on-call rule says "at most 60 minutes": what reaches it is never rounded down, so a request
   * any longer than an hour, by a millisecond or a nanosecond, needs a team lead.
   */
  @Test
  void theOnCallWaiverHoldsForAnHourAndNotAMomentLonger() {
    for (String hourOrLess :
        List.of("PT1H", "PT59M59.999S", "PT59M0.000000001S", "PT1S", "PT0.001S")) {
      // a matching stage 0 waives every other stage
      assertThat(stagesFor(hourOrLess)).as(hourOrLess).contains("0");
    }
    for (String longer :
        List.of("PT1H0.001S", "PT1H0M59.999S", "PT1H0.000000001S", "PT1H1S", "PT61M")) {
      assertThat(stagesFor(longer))
          .as(longer)
          .containsExactly("1 team-leads x1 remind PT2H deadline PT8H escalate portcullis-admins");
    }
  }

  @Test
  void inputs_whenADurationHasAPartOfAUnit_thenItCountsAsAWholeOne() {
    assertThat(ApprovalPolicy.minutesRoundedUp(Duration.ofHours(1))).isEqualTo(60);
    assertThat(ApprovalPolicy.minutesRoundedUp(Duration.parse("PT1H0.001S"))).isEqualTo(61);
    assertThat(ApprovalPolicy.minutesRoundedUp(Duration.parse("PT59M59.999S"))).isEqualTo(60);
    assertThat(ApprovalPolicy.minutesRoundedUp(Duration.ofHours(1).plusNanos(1))).isEqualTo(61);
    assertThat(ApprovalPolicy.secondsRoundedUp(Duration.ofHours(1))).isEqualTo(3600);
    assertThat(ApprovalPolicy.secondsRoundedUp(Duration.parse("PT1H0.001S"))).isEqualTo(3601);
    assertThat(ApprovalPolicy.secondsRoundedUp(Duration.parse("PT59M59.999S"))).isEqualTo(3600);
    assertThat(ApprovalPolicy.secondsRoundedUp(Duration.ofHours(1).plusNanos(1))).isEqualTo(3601);
  }

  @Test
  void anExtensionTellsThePolicySoAndItsTotal_andTheOnCallWaiverIsForAccessOnly() {
    ApprovalSubject extension =
        new ApprovalSubject(
            RequestId.of("r-2"),
            "pi-2",
            Username.of("olivia"),
            Set.of("developers", "oncall"),
            ResourceId.of("prod-logs-readonly"),
            "production",
            "low",
            AccessDuration.of("PT30M"),
            "extension",
            List.of(),
            Duration.parse("PT1H30M0.001S"));
    var inputs = ApprovalPolicy.inputs(extension);
    assertThat(inputs.get("extension")).isEqualTo(true);
    assertThat(inputs.get("durationMinutes")).isEqualTo(30L);
    assertThat(inputs.get("totalDurationMinutes")).isEqualTo(91L);
    assertThat(
            dmn.evaluateDecision(policy, inputs).getResultList().stream()
                .map(ApprovalPolicyTableTest::describe)
                .toList())
        .as("an extension of the logs is decided by a team lead, never waived")
        .isNotEmpty()
        .noneMatch(stage -> stage.startsWith("0"));
    assertThat(ApprovalPolicy.inputs(subjectOf("PT30M")).get("extension")).isEqualTo(false);
    assertThat(ApprovalPolicy.inputs(subjectOf("PT30M")).get("totalDurationMinutes"))
        .isEqualTo(30L);
  }

  private static ApprovalSubject subjectOf(String duration) {
    return new ApprovalSubject(
        RequestId.of("r-1"),
        "pi-1",
        Username.of("olivia"),
        Set.of("developers", "oncall"),
        ResourceId.of("prod-logs-readonly"),
        "production",
        "low",
        AccessDuration.of(duration),
        "access",
        List.of(),
        null);
  }

  @Test
  void anEnvironmentNoRuleKnowsMatchesNothing() {
    assertThat(evaluate("lab-box", "lab", "low", 30, List.of("developers"))).isEmpty();
  }

  /**
   * The on-call engineer's request for the production logs, with the inputs as Portcullis computes
   * them.
   */
  private static List<String> stagesFor(String duration) {
    ApprovalSubject subject =
        new ApprovalSubject(
            RequestId.of("r-1"),
            "pi-1",
            Username.of("olivia"),
            Set.of("developers", "oncall"),
            ResourceId.of("prod-logs-readonly"),
            "production",
            "low",
            AccessDuration.of(duration),
            "access",
            List.of(),
            null);
    return dmn.evaluateDecision(policy, ApprovalPolicy.inputs(subject)).getResultList().stream()
        .map(ApprovalPolicyTableTest::describe)
        .toList();
  }

  private static List<String> stages(
      String resource, String environment, String risk, long minutes, List<String> groups) {
    return evaluate(resource, environment, risk, minutes, groups).getResultList().stream()
        .map(ApprovalPolicyTableTest::describe)
        .toList();
  }

  private static DmnDecisionResult evaluate(
      String resource, String environment, String risk, long minutes, List<String> groups) {
    return dmn.evaluateDecision(
        policy,
        Map.of(
            "resource",
            resource,
            "environment",
            environment,
            "risk",
            risk,
            "durationMinutes",
            minutes,
            "requesterGroups",
            groups,
            "kind",
            "access"));
  }

  private static String describe(Map<String, Object> stage) {
    if (((Number) stage.get("stage")).intValue() == 0) {
      return "0";
    }
    return stage.get("stage")
        + " "
        + stage.get("approverGroup")
        + " x"
        + stage.get("quorum")
        + " remind "
        + stage.get("remindAfter")
        + " deadline "
        + stage.get("deadline")
        + " escalate "
        + stage.get("escalationGroup");
  }
}
