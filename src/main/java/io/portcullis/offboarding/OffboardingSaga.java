package io.portcullis.offboarding;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.request.AccessOfLeavers;
import io.portcullis.security.RoleProperties;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The saga's listeners and the answers its gateways ask for, called from {@code processes/offboarding.bpmn}
 * as {@code ${offboardingSaga...}}. Every answer is read from what Portcullis stored, never from a
 * variable, which the engine's REST API would let a caller set.
 */
@Component("offboardingSaga")
public class OffboardingSaga {

  private static final List<OffboardingStatus> RUNNING = List.of(OffboardingStatus.IN_PROGRESS, OffboardingStatus.NEEDS_ATTENTION);

  private final OffboardingRepository offboardings;
  private final BoundOffboardings bound;
  private final OffboardingEvents events;
  private final AccessOfLeavers access;
  private final RoleProperties roles;
  private final Connectors connectors;

  OffboardingSaga(OffboardingRepository offboardings, BoundOffboardings bound, OffboardingEvents events, AccessOfLeavers access,
      RoleProperties roles, Connectors connectors) {
    this.connectors = connectors;
    this.offboardings = offboardings;
    this.bound = bound;
    this.events = events;
    this.access = access;
    this.roles = roles;
  }

  /**
   * The start listener: binds this instance to the offboarding that its business key names, which must
   * have been stored, in this same transaction, by {@link Offboardings} and have no saga yet.
   */
  public void bind(DelegateExecution execution) {
    String id = execution.getProcessBusinessKey();
    if (id == null || offboardings.find(id).isEmpty() || !offboardings.bind(id, execution.getProcessInstanceId())) {
      events.refused(null, io.portcullis.audit.AuditEvent.SYSTEM, "start an offboarding saga",
          "no offboarding waits for a saga under the business key " + id);
      throw new BoundOffboardings.UnboundSagaException(execution.getProcessInstanceId(), "startEvent_offboardingAsked");
    }
  }

  public boolean scheduled(DelegateExecution execution) {
    return of(execution, "gateway_effectiveLater").status() == OffboardingStatus.SCHEDULED;
  }

  public Date effectiveAt(DelegateExecution execution) {
    return Date.from(of(execution, "timerEvent_effectiveTimeReached").effectiveAt());
  }

  /** The effective time came: from now on it can no longer be cancelled. */
  public void begin(DelegateExecution execution) {
    offboardings.markStarted(of(execution, "timerEvent_effectiveTimeReached").id(), Offboardings.now());
  }

  public boolean personFound(DelegateExecution execution) {
    return Boolean.TRUE.equals(offboardings.personFound(of(execution, "gateway_personKnown").id()));
  }

  /**
   * Each round of freeze, discovery and verification has its number, so its evidence stays apart from
   * the last. A system whose connector cannot disable accounts is named in the round's evidence, not
   * silently skipped by the freeze.
   */
  public void nextRound(DelegateExecution execution) {
    Offboarding o = of(execution, "gateway_round");
    int round = offboardings.nextRound(o.id());
    var canDisable = connectors.withCapability(AccountControl.class).keySet();
    offboardings.insertItems(connectors.names().stream().filter(system -> !canDisable.contains(system)).sorted()
        .map(system -> Item.found(o.id(), round, Item.Kind.ACCOUNT, system, o.username(), null, Offboardings.now())
            .withHow(NOT_DISABLED)).toList());
  }

  static final String NOT_DISABLED = "not disabled: this system's connector cannot disable accounts";

  /**
   * The cancel end's start listener: only Portcullis' API cancels, and it records CANCELLED in the same
   * transaction as it sends the message. A cancel message sent any other way (the engine's REST API) is
   * refused, so the saga keeps waiting and the offboarding still runs at its time.
   */
  public void cancelled(DelegateExecution execution) {
    Offboarding o = of(execution, "endEvent_offboardingCancelled");
    if (o.status() != OffboardingStatus.CANCELLED) {
      events.refused(o, currentActor(), "cancel the offboarding's saga", "only POST /api/offboardings/{id}/cancel cancels an offboarding");
      throw new io.portcullis.web.StepRefusedException("offboarding " + o.id() + " was not cancelled through Portcullis' API; "
          + "its saga goes on");
    }
  }

  private static String currentActor() {
    var context = org.camunda.bpm.engine.impl.context.Context.getCommandContext();
    var authentication = context == null ? null : context.getAuthentication();
    return authentication == null || authentication.getUserId() == null ? io.portcullis.audit.AuditEvent.SYSTEM
        : authentication.getUserId();
  }

  /**
   * Whether a grant of the leaver is still ending: then the saga waits for the last one. Their rows are
   * locked until this step commits, so a grant's revoke that ends meanwhile finds the saga waiting.
   */
  public boolean grantsStillEnding(DelegateExecution execution) {
    return !access.lockActiveGrants(of(execution, "gateway_grantsEnding").username()).isEmpty();
  }

  public boolean nothingLeft(DelegateExecution execution) {
    Offboarding o = of(execution, "gateway_anythingLeft");
    return offboardings.findingCount(o.id(), offboardings.round(o.id())) == 0;
  }

  public String resolution(DelegateExecution execution) {
    Offboarding o = of(execution, "gateway_resolution");
    return offboardings.resolution(o.id(), offboardings.round(o.id())).map(OffboardingRepository.Resolution::resolution)
        .orElseThrow(() -> new IllegalStateException("offboarding " + o.id() + " has no resolution on record"));
  }

  /** The multi-instance collections: read from the registry and the stored evidence when each step begins. */
  public List<String> accountSystems() {
    return new java.util.ArrayList<>(connectors.withCapability(AccountControl.class).keySet());
  }

  public List<String> discoverySystems() {
    return new java.util.ArrayList<>(connectors.withCapability(Discovery.class).keySet());
  }

  public List<Long> grantItems(DelegateExecution execution) {
    return itemsOf(execution, Item.Kind.GRANT, "serviceTask_endGrant");
  }

  /**
   * The batches of standing memberships to remove, {@code system#n}: each one step of at most {@link
   * RevokeStanding#BATCH} revokes in one system, so a thousand memberships are forty steps, not a
   * thousand, and a system that fails holds up only its own batches.
   */
  public List<String> standingBatches(DelegateExecution execution) {
    Offboarding o = of(execution, OffboardingProcess.TASK_REVOKE_STANDING);
    java.util.Map<String, Integer> perSystem = new java.util.TreeMap<>();
    for (Item item : offboardings.items(o.id(), offboardings.round(o.id()), Item.Kind.STANDING)) {
      perSystem.merge(item.system(), 1, Integer::sum);
    }
    List<String> batches = new java.util.ArrayList<>();
    perSystem.forEach((system, count) -> {
      for (int n = 0; n * RevokeStanding.BATCH < count; n++) {
        batches.add(system + "#" + n);
      }
    });
    return batches;
  }

  private List<Long> itemsOf(DelegateExecution execution, Item.Kind kind, String step) {
    Offboarding o = of(execution, step);
    return offboardings.items(o.id(), offboardings.round(o.id()), kind).stream().map(Item::id).toList();
  }

  /** The group whose members resolve an offboarding that needs attention. */
  public String adminGroup() {
    return roles.adminGroup();
  }

  /** End listeners: the offboarding ends as the saga ends. */
  public void completed(DelegateExecution execution) {
    end(execution, "nothing the person held is left", OffboardingEvents.ACTOR);
  }

  public void noSuchPerson(DelegateExecution execution) {
    end(execution, "no such person in the directory; nothing to revoke", OffboardingEvents.ACTOR);
  }

  public void closed(DelegateExecution execution) {
    Offboarding o = of(execution, "endEvent_closedByAdmin");
    var r = offboardings.resolution(o.id(), offboardings.round(o.id())).orElseThrow();
    end(execution, "closed by " + r.by() + " with findings left: " + r.comment(), r.by());
  }

  private void end(DelegateExecution execution, String outcome, String by) {
    Offboarding o = of(execution, execution.getCurrentActivityId());
    if (offboardings.markEnded(o.id(), RUNNING, OffboardingStatus.COMPLETED, Offboardings.now(), outcome)) {
      events.completed(o, by, outcome);
    }
  }

  private Offboarding of(DelegateExecution execution, String step) {
    return bound.of(execution.getProcessInstanceId(), step);
  }
}
