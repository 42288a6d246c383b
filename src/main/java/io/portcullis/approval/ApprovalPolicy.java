package io.portcullis.approval;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Output;
import org.camunda.bpm.model.dmn.instance.OutputEntry;
import org.springframework.stereotype.Component;

/**
 * Evaluates the approval policy, the DMN decision {@code approvalPolicy} in its latest deployed
 * version (docs/approval-policy.md is the contract): each matching rule is one stage, in the order
 * of its {@code stage} number; a matching rule with stage 0 waives approval. Fails closed: no
 * match, or a stage the chain cannot run, refuses the request and nothing is granted.
 */
@Component
class ApprovalPolicy {

  static final String DECISION_KEY = "approvalPolicy";
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final DecisionService decisions;
  private final RepositoryService repository;
  private final ApprovalSettings settings;
  private final Map<String, Set<String>> groupsByVersion = new ConcurrentHashMap<>();

  ApprovalPolicy(
      DecisionService decisions, RepositoryService repository, ApprovalSettings settings) {
    this.decisions = decisions;
    this.repository = repository;
    this.settings = settings;
  }

  /** The stages the policy chooses, and which version of it chose them. */
  Choice choose(ApprovalSubject subject) {
    // the requester starts the process but holds no permission on the policy: it is Portcullis' own
    // evaluation, so it runs without the caller's authorization checks
    return withoutAuthorization(
        () -> {
          DecisionDefinition policy =
              repository
                  .createDecisionDefinitionQuery()
                  .decisionDefinitionKey(DECISION_KEY)
                  .latestVersion()
                  .singleResult();
          if (policy == null) {
            throw new IllegalStateException(
                "no approval policy is deployed (decision " + DECISION_KEY + ")");
          }
          String version = DECISION_KEY + ":" + policy.getVersion();
          DmnDecisionResult result =
              decisions.evaluateDecisionById(policy.getId()).variables(inputs(subject)).evaluate();
          return new Choice(version, stages(version, result), breakGlassWithin(version, result));
        });
  }

  /**
   * The groups that the latest deployed policy names as a stage's approver or escalation group: the
   * string literals of those two outputs, rule by rule (a group that an expression computes is not
   * known ahead, so it counts for none). Read from the model once per deployed version.
   */
  Set<String> approverGroups() {
    return withoutAuthorization(
        () -> {
          DecisionDefinition policy =
              repository
                  .createDecisionDefinitionQuery()
                  .decisionDefinitionKey(DECISION_KEY)
                  .latestVersion()
                  .singleResult();
          if (policy == null) {
            return Set.of();
          }
          return groupsByVersion.computeIfAbsent(
              policy.getId(), id -> groupsIn(repository.getDmnModelInstance(id)));
        });
  }

  private static Set<String> groupsIn(DmnModelInstance model) {
    Set<String> groups = new TreeSet<>();
    for (DecisionTable table : model.getModelElementsByType(DecisionTable.class)) {
      List<Output> outputs = List.copyOf(table.getOutputs());
      for (var rule : table.getRules()) {
        List<OutputEntry> entries = List.copyOf(rule.getOutputEntries());
        for (int i = 0; i < outputs.size() && i < entries.size(); i++) {
          String name = outputs.get(i).getName();
          if (!"approverGroup".equals(name) && !"escalationGroup".equals(name)) {
            continue;
          }
          String text =
              entries.get(i).getText() == null ? "" : entries.get(i).getText().getTextContent();
          String literal = text.strip();
          if (literal.length() > 2 && literal.startsWith("\"") && literal.endsWith("\"")) {
            String group = literal.substring(1, literal.length() - 1);
            if (GROUP.matcher(group).matches()) {
              groups.add(group);
            }
          }
        }
      }
    }
    return Set.copyOf(groups);
  }

  /**
   * The policy's inputs (docs/approval-policy.md). A duration is counted up to the next whole
   * minute ({@code durationMinutes}) and second ({@code durationSeconds}), never down: a rule such
   * as "at most 60 minutes" waives approval, so a request a millisecond or a nanosecond longer than
   * 60 minutes must not read as 60.
   */
  static Map<String, Object> inputs(ApprovalSubject subject) {
    Map<String, Object> inputs = new HashMap<>();
    inputs.put("resource", subject.resource().value());
    inputs.put("environment", subject.environment());
    inputs.put("risk", subject.risk());
    inputs.put("durationMinutes", minutesRoundedUp(subject.duration().value()));
    inputs.put("durationSeconds", secondsRoundedUp(subject.duration().value()));
    inputs.put("requesterGroups", List.copyOf(new TreeSet<>(subject.requesterGroups())));
    inputs.put("kind", subject.kind());
    // an extension's own time is durationMinutes; a rule may ask more for a long total
    inputs.put("extension", "extension".equals(subject.kind()));
    inputs.put("totalDurationMinutes", minutesRoundedUp(subject.totalDuration()));
    // advice, never a refusal by itself: a rule may add a stage for a flagged request
    inputs.put("flagged", !subject.flags().isEmpty());
    inputs.put("flags", subject.flags());
    return inputs;
  }

  /**
   * A rule with no stage and a {@code breakGlassWithin} only allows break-glass (issue 29): it adds
   * no stage, and alone it is no rule for the request.
   */
  private static boolean allowsBreakGlassOnly(Map<String, Object> entry) {
    Object stage = entry.get("stage");
    Object within = entry.get("breakGlassWithin");
    return (stage == null || stage.toString().isBlank())
        && within != null
        && !within.toString().isBlank();
  }

  /** The longest break-glass that a matching rule allows; empty when none allows it. */
  private static Optional<Duration> breakGlassWithin(String version, DmnDecisionResult result) {
    Duration longest = null;
    for (Map<String, Object> entry : result.getResultList()) {
      if (allowsBreakGlassOnly(entry)) {
        Duration d = duration(version, entry, "breakGlassWithin", null);
        if (longest == null || d.compareTo(longest) > 0) {
          longest = d;
        }
      }
    }
    return Optional.ofNullable(longest);
  }

  /** Whole minutes, any part of a minute counted as a minute. */
  static long minutesRoundedUp(Duration duration) {
    long minutes = duration.toMinutes();
    return duration.equals(Duration.ofMinutes(minutes)) ? minutes : minutes + 1;
  }

  /** Whole seconds, any part of a second counted as a second. */
  static long secondsRoundedUp(Duration duration) {
    return duration.getNano() == 0 ? duration.getSeconds() : duration.getSeconds() + 1;
  }

  private List<Stage> stages(String version, DmnDecisionResult result) {
    if (result.isEmpty()) {
      throw new InvalidInputException(
          "resource",
          "the approval policy "
              + version
              + " has no rule for this request, so it cannot be approved; ask the process owner to add one");
    }
    List<Rule> rules = new ArrayList<>();
    for (Map<String, Object> entry : result.getResultList()) {
      if (!allowsBreakGlassOnly(entry)) {
        rules.add(rule(version, entry));
      }
    }
    if (rules.isEmpty()) {
      throw new InvalidInputException(
          "resource",
          "the approval policy "
              + version
              + " has no rule for this request, so it cannot be approved; ask the process owner to add one");
    }
    if (rules.stream().anyMatch(r -> r.order == 0)) {
      return List.of();
    }
    rules.sort(Comparator.comparingInt(Rule::order));
    List<Stage> stages = new ArrayList<>();
    for (Rule r : rules) {
      stages.add(
          new Stage(
              stages.size() + 1,
              r.group,
              r.quorum,
              r.remindAfter,
              r.deadline,
              r.escalationGroup,
              null,
              null));
    }
    return stages;
  }

  private Rule rule(String version, Map<String, Object> entry) {
    int order = number(version, entry, "stage", null);
    if (order < 0) {
      throw invalid(version, "stage must be 0 or more, not " + order);
    }
    if (order == 0) {
      return new Rule(0, null, 0, null, null, null);
    }
    String group = group(version, entry, "approverGroup", true);
    int quorum = number(version, entry, "quorum", 1);
    if (quorum < 1) {
      throw invalid(version, "quorum must be at least 1, not " + quorum);
    }
    Duration deadline = duration(version, entry, "deadline", settings.defaultDeadline());
    Duration remindAfter = duration(version, entry, "remindAfter", deadline.dividedBy(2));
    if (remindAfter.compareTo(deadline) >= 0) {
      throw invalid(
          version, "remindAfter " + remindAfter + " must come before the deadline " + deadline);
    }
    return new Rule(
        order,
        group,
        quorum,
        remindAfter,
        deadline,
        group(version, entry, "escalationGroup", false));
  }

  private static int number(
      String version, Map<String, Object> entry, String name, Integer otherwise) {
    Object value = entry.get(name);
    if (value == null && otherwise != null) {
      return otherwise;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw invalid(version, name + " must be a whole number, not " + value);
    }
    return n.intValue();
  }

  private static String group(
      String version, Map<String, Object> entry, String name, boolean required) {
    Object value = entry.get(name);
    if (value == null || value.toString().isBlank()) {
      if (required) {
        throw invalid(version, name + " is required for a stage");
      }
      return null;
    }
    if (!GROUP.matcher(value.toString()).matches()) {
      throw invalid(version, name + " '" + value + "' is not a group id");
    }
    return value.toString();
  }

  private static Duration duration(
      String version, Map<String, Object> entry, String name, Duration otherwise) {
    Object value = entry.get(name);
    if (value == null || value.toString().isBlank()) {
      return otherwise;
    }
    Duration d;
    try {
      d = AccessDuration.read(name, value.toString());
    } catch (InvalidInputException notIso) {
      throw invalid(version, name + " '" + value + "' " + notIso.reason());
    }
    if (d.isNegative() || d.isZero()) {
      throw invalid(version, name + " must be positive, not " + value);
    }
    return d;
  }

  private static InvalidInputException invalid(String version, String why) {
    return new InvalidInputException(
        "resource", "the approval policy " + version + " gave a stage that cannot run: " + why);
  }

  private static <T> T withoutAuthorization(Callable<T> work) {
    CommandContext context = Context.getCommandContext();
    try {
      return context == null ? work.call() : context.runWithoutAuthorization(work);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @param breakGlassWithin the longest break-glass a matching rule allows; empty: none allowed
   */
  record Choice(String policy, List<Stage> stages, Optional<Duration> breakGlassWithin) {}

  private record Rule(
      int order,
      String group,
      int quorum,
      Duration remindAfter,
      Duration deadline,
      String escalationGroup) {}
}
