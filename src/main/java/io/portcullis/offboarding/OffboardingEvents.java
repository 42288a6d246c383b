package io.portcullis.offboarding;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The audit events of an offboarding, each in the transaction of the step it describes: with the
 * leaver as subject and the offboarding's id as the request id, so that one export filtered by
 * either shows everything the leaver lost, when, and how it was checked.
 */
@Component
class OffboardingEvents {

  static final String ACTOR = "offboarding";

  private final AuditTrail trail;

  OffboardingEvents(AuditTrail trail) {
    this.trail = trail;
  }

  void requested(Offboarding o, Ask.Door door) {
    trail.record(
        about(o, o.requestedBy(), AuditAction.OFFBOARDING_REQUESTED)
            .detail("door", door.value())
            .detail("reference", o.reference())
            .detail("reason", o.reason())
            .detail("effectiveAt", o.effectiveAt().toString()));
  }

  /**
   * A later ask moved the offboarding earlier: its own event, with who asked, through which door,
   * why, from when to when.
   */
  void broughtForward(Offboarding o, Ask ask) {
    trail.record(
        about(o, ask.by(), AuditAction.OFFBOARDING_BROUGHT_FORWARD)
            .detail("door", ask.door().value())
            .detail("reference", ask.reference())
            .detail("reason", ask.reason())
            .detail("from", ask.movedFrom().toString())
            .detail("to", ask.effectiveAt().toString())
            .detail("now", ask.outcome() == Ask.Outcome.BROUGHT_FORWARD));
  }

  /**
   * An ask for a name the directory does not know: written on its own, since nothing else of the
   * ask is kept.
   */
  void unknownPerson(String by, Ask.Door door, Username username, String reference) {
    trail.recordOnItsOwn(
        AuditEvent.Draft.by(by, AuditAction.ACTION_REFUSED)
            .subject(username)
            .detail("door", door.value())
            .detail("attempted", "offboard " + username)
            .detail("reference", reference)
            .detail("why", "the directory has no person named " + username));
  }

  void cancelled(Offboarding o, String by) {
    trail.record(about(o, by, AuditAction.OFFBOARDING_CANCELLED));
  }

  void started(Offboarding o, boolean personFound) {
    trail.record(
        about(o, ACTOR, AuditAction.OFFBOARDING_STARTED).detail("personFound", personFound));
  }

  void accountDisabled(Offboarding o, String system, boolean sessionsEnded) {
    trail.record(
        about(o, ACTOR, AuditAction.ACCOUNT_DISABLED)
            .detail("system", system)
            .detail("sessions", sessionsEnded ? "ended" : "none kept by the system"));
  }

  void discovered(
      Offboarding o, int round, String system, Collection<Target> holdings, int grants) {
    trail.record(
        about(o, ACTOR, AuditAction.HOLDINGS_DISCOVERED)
            .detail("round", round)
            .detail("system", system)
            .detail(
                "holdings",
                holdings.size() <= 50
                    ? holdings
                    : holdings.size() + " targets (see the offboarding's report)")
            .detail("activeGrants", grants));
  }

  void membershipRevoked(Offboarding o, Item item, String how) {
    trail.record(
        about(o, ACTOR, AuditAction.MEMBERSHIP_REVOKED)
            .detail("system", item.system())
            .detail("target", item.target())
            .detail("how", how));
  }

  void taskHandedBack(Offboarding o, String taskId, String taskName, String processInstanceId) {
    trail.record(
        about(o, ACTOR, AuditAction.TASK_HANDED_BACK)
            .detail("taskId", taskId)
            .detail("task", taskName)
            .detail("ofInstance", processInstanceId));
  }

  void verified(Offboarding o, int round, Collection<String> findings) {
    trail.record(
        about(o, ACTOR, AuditAction.OFFBOARDING_VERIFIED)
            .detail("round", round)
            .detail(
                "findings",
                findings.size() <= 50
                    ? findings
                    : findings.size() + " findings (see the offboarding's report)"));
  }

  void flagged(Offboarding o, int round, int findings) {
    trail.record(
        about(o, ACTOR, AuditAction.OFFBOARDING_FLAGGED)
            .detail("round", round)
            .detail("findings", findings));
  }

  void retried(Offboarding o, String by, String comment) {
    trail.record(about(o, by, AuditAction.OFFBOARDING_RETRIED).detail("comment", comment));
  }

  void completed(Offboarding o, String by, String outcome) {
    trail.record(about(o, by, AuditAction.OFFBOARDING_COMPLETED).detail("outcome", outcome));
  }

  /**
   * Something the rules refused (an unbound instance, a resolution by someone not an admin):
   * written on its own.
   */
  void refused(Offboarding o, String actor, String attempted, String why) {
    AuditEvent.Draft draft =
        AuditEvent.Draft.by(actor, AuditAction.ACTION_REFUSED)
            .detail("attempted", attempted)
            .detail("why", why);
    trail.recordOnItsOwn(o == null ? draft : draft.subject(o.username()).request(o.id(), null));
  }

  void failed(Offboarding o, String step, Map<String, ?> details, boolean incident) {
    trail.record(
        about(o, ACTOR, incident ? AuditAction.INCIDENT_CREATED : AuditAction.CONNECTOR_FAILED)
            .detail("step", step)
            .details(details));
  }

  private static AuditEvent.Draft about(Offboarding o, String actor, String action) {
    return AuditEvent.Draft.by(actor, action).subject(o.username()).request(o.id(), null);
  }
}
