package io.portcullis.offboarding;

import io.portcullis.audit.AuditEvent;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.StepRefusedException;
import io.portcullis.request.AccessOfLeavers;
import io.portcullis.security.RoleProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.stereotype.Component;

/**
 * The saga's listeners and the answers its gateways ask for, called from {@code
 * processes/offboarding.bpmn} as {@code ${offboardingSaga...}}. Every answer is read from what
 * Portcullis stored, never from a variable, which the engine's REST API would let a caller set.
 */
@Component("offboardingSaga")
public class OffboardingSaga {

  private static final List<OffboardingStatus> RUNNING =
      List.of(OffboardingStatus.IN_PROGRESS, OffboardingStatus.NEEDS_ATTENTION);

  private final OffboardingRepository offboardings;
  private final BoundOffboardings bound;
  private final OffboardingEvents events;
  private final AccessOfLeavers access;
  private final RoleProperties roles;
  private final Connectors connectors;

  OffboardingSaga(
      OffboardingRepository offboardings,
      BoundOffboardings bound,
      OffboardingEvents events,
      AccessOfLeavers access,
      RoleProperties roles,
      Connectors connectors) {
    this.connectors = connectors;
    this.offboardings = offboardings;
    this.bound = bound;
    this.events = events;
    this.access = access;
    this.roles = roles;
  }

  /**
   * The start listener: binds this instance to the offboarding that its business key names, which
   * must have been stored, in this same transaction, by {@link Offboardings} and have no saga yet.
   */
  public void bind(DelegateExecution execution) {
    String key = execution.getProcessBusinessKey();
    Optional<OffboardingId> id = OffboardingId.valid(key);
    if (id.isEmpty()
        || offboardings.find(id.get()).isEmpty()
        || !offboardings.bind(id.get(), execution.getProcessInstanceId())) {
      events.refused(
          null,
          AuditEvent.SYSTEM,
          "start an offboarding saga",
          "no offboarding waits for a saga under the business key " + key);
      throw new BoundOffboardings.UnboundSagaException(
          execution.getProcessInstanceId(), OffboardingProcess.START_ASKED);
    }
  }

  public boolean scheduled(DelegateExecution execution) {
    return of(execution, OffboardingProcess.GATEWAY_EFFECTIVE_LATER).status()
        == OffboardingStatus.SCHEDULED;
  }

  public Date effectiveAt(DelegateExecution execution) {
    return Date.from(of(execution, OffboardingProcess.TIMER_EFFECTIVE_TIME).effectiveAt());
  }

  /** The effective time came: from now on it can no longer be cancelled. */
  public void begin(DelegateExecution execution) {
    offboardings.markStarted(
        of(execution, OffboardingProcess.TIMER_EFFECTIVE_TIME).id(), Offboardings.now());
  }

  public boolean personFound(DelegateExecution execution) {
    return Boolean.TRUE.equals(
        offboardings.personFound(of(execution, OffboardingProcess.GATEWAY_PERSON_KNOWN).id()));
  }

  static final String NOT_DISABLED =
      "not disabled: this system's connector cannot disable accounts";

  /**
   * The end listener of "Effective time moved": only Portcullis moves an offboarding's effective
   * time, and it stores the ask that moved it in the same transaction as it sends the message. A
   * message that no stored ask stands behind (one sent through the engine's REST API) is refused,
   * so the saga keeps waiting for its time; the wait it goes back to reads that time from what is
   * stored, never from the message.
   */
  public void moved(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.EVENT_MOVED);
    if (offboardings.applyMoves(o.id(), Offboardings.now()) == 0) {
      events.refused(
          o,
          currentActor(),
          "move the offboarding's effective time",
          "only an ask through the HR API or SCIM moves it");
      throw new StepRefusedException(
          "offboarding "
              + o.id()
              + " was not moved through Portcullis' doors; "
              + "its saga keeps waiting for its time");
    }
  }

  /**
   * The cancel end's start listener: only Portcullis' API cancels, and it records CANCELLED in the
   * same transaction as it sends the message. A cancel message sent any other way (the engine's
   * REST API) is refused, so the saga keeps waiting and the offboarding still runs at its time.
   */
  public void cancelled(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.END_CANCELLED);
    if (o.status() != OffboardingStatus.CANCELLED) {
      events.refused(
          o,
          currentActor(),
          "cancel the offboarding's saga",
          "only POST /api/offboardings/{id}/cancel cancels an offboarding");
      throw new StepRefusedException(
          "offboarding "
              + o.id()
              + " was not cancelled through Portcullis' API; "
              + "its saga goes on");
    }
  }

  private static String currentActor() {
    var context = Context.getCommandContext();
    var authentication = context == null ? null : context.getAuthentication();
    return authentication == null || authentication.getUserId() == null
        ? AuditEvent.SYSTEM
        : authentication.getUserId();
  }

  /**
   * Whether a grant of the leaver is still ending: then the saga waits for the last one. Their rows
   * are locked until this step commits, so a grant's revoke that ends meanwhile finds the saga
   * waiting.
   */
  public boolean grantsStillEnding(DelegateExecution execution) {
    return !access
        .lockActiveGrants(of(execution, OffboardingProcess.GATEWAY_GRANTS_ENDING).username())
        .isEmpty();
  }

  public boolean nothingLeft(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.GATEWAY_ANYTHING_LEFT);
    return offboardings.findingCount(o.id(), offboardings.round(o.id())) == 0;
  }

  public String resolution(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.GATEWAY_RESOLUTION);
    return offboardings
        .resolution(o.id(), offboardings.round(o.id()))
        .map(OffboardingRepository.Resolution::resolution)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "offboarding " + o.id() + " has no resolution on record"));
  }

  /**
   * The multi-instance collections: read from the registry and the stored evidence when each step
   * begins.
   */
  public List<String> accountSystems() {
    return names(connectors.withCapability(AccountControl.class).keySet());
  }

  public List<String> discoverySystems() {
    return names(connectors.withCapability(Discovery.class).keySet());
  }

  /** As the engine keeps them: text, so that a collection variable is never a serialized object. */
  private static List<String> names(Collection<ConnectorName> systems) {
    return new ArrayList<>(systems.stream().map(ConnectorName::value).toList());
  }

  public List<Long> grantItems(DelegateExecution execution) {
    return itemsOf(execution, Item.Kind.GRANT, OffboardingProcess.TASK_END_GRANT);
  }

  /**
   * The batches of standing memberships to remove, {@code system#n}: each one step of at most
   * {@link RevokeStanding#BATCH} revokes in one system, so a thousand memberships are forty steps,
   * not a thousand, and a system that fails holds up only its own batches.
   */
  public List<String> standingBatches(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.TASK_REVOKE_STANDING);
    Map<String, Integer> perSystem = new TreeMap<>();
    for (Item item : offboardings.items(o.id(), offboardings.round(o.id()), Item.Kind.STANDING)) {
      perSystem.merge(item.system(), 1, Integer::sum);
    }
    List<String> batches = new ArrayList<>();
    perSystem.forEach(
        (system, count) -> {
          for (int n = 0; n * RevokeStanding.BATCH < count; n++) {
            batches.add(system + "#" + n);
          }
        });
    return batches;
  }

  private List<Long> itemsOf(DelegateExecution execution, Item.Kind kind, String step) {
    Offboarding o = of(execution, step);
    return offboardings.items(o.id(), offboardings.round(o.id()), kind).stream()
        .map(Item::id)
        .toList();
  }

  /**
   * The "Start a round" gateway of the versions of offboarding.bpmn from before issue 24, which
   * sagas that started on them still pass (a scheduled offboarding waits up to a year). The round
   * starts in the find step now ({@link FindPerson}); after an admin's retry, which those versions
   * send here and not to the find step, a new round starts here as it did.
   */
  public void nextRound(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.Before24.GATEWAY_ROUND);
    if (offboardings.resolution(o.id(), offboardings.round(o.id())).isPresent()) {
      FindPerson.recordAccountsNotDisabled(
          offboardings,
          connectors,
          o.id(),
          offboardings.nextRound(o.id()),
          o.username(),
          Offboardings.now());
    }
  }

  /**
   * The "No such person" end of the versions of offboarding.bpmn from before issue 24: an
   * offboarding is never COMPLETED for a person nobody could find. The step fails, and its incident
   * is for an operator, who deletes the saga in Cockpit: a new one, on the current version, makes
   * it a task for an admin.
   */
  public void noSuchPerson(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.Before24.END_NO_SUCH_PERSON);
    throw new IllegalStateException(
        "the directory no longer knows "
            + o.username()
            + " (offboarding "
            + o.id()
            + "); this saga of an "
            + "earlier version of offboarding.bpmn would end COMPLETED: delete it in Cockpit, and a new saga makes it a task for an admin");
  }

  /** The group whose members resolve an offboarding that needs attention. */
  public String adminGroup() {
    return roles.adminGroup();
  }

  /** End listeners: the offboarding ends as the saga ends. */
  public void completed(DelegateExecution execution) {
    end(execution, "nothing the person held is left", OffboardingEvents.ACTOR);
  }

  public void closed(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.END_CLOSED);
    var r = offboardings.resolution(o.id(), offboardings.round(o.id())).orElseThrow();
    end(execution, "closed by " + r.by() + " with findings left: " + r.comment(), r.by());
  }

  private void end(DelegateExecution execution, String outcome, String by) {
    Offboarding o = of(execution, execution.getCurrentActivityId());
    if (offboardings.markEnded(
        o.id(), RUNNING, OffboardingStatus.COMPLETED, Offboardings.now(), outcome)) {
      events.completed(o, by, outcome);
    }
  }

  private Offboarding of(DelegateExecution execution, String step) {
    return bound.of(execution.getProcessInstanceId(), step);
  }
}
