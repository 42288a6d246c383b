package io.portcullis.audit;

import org.springframework.modulith.NamedInterface;

/**
 * What an audit event says happened. Plain strings, not an enum, so that a new kind of event needs
 * no migration and an old export still reads; a new one follows the pattern {@code
 * noun.past-tense}.
 */
@NamedInterface("trail")
public final class AuditAction {

  /** A person asked for access. */
  public static final String ACCESS_REQUESTED = "access.requested";

  /** An approver approved or denied one stage; {@code details.decision} says which. */
  public static final String ACCESS_DECIDED = "access.decided";

  /**
   * A stage nobody decided in time: its approvers and escalation group were reminded; the
   * escalation group may decide too.
   */
  public static final String APPROVAL_ESCALATED = "approval.escalated";

  /** The connector granted the access and read it back. */
  public static final String ACCESS_GRANTED = "access.granted";

  /**
   * A live grant's end moved later by an approved extension, with no revoke in between: {@code
   * details} name the extension's time and the grant's new end.
   */
  public static final String ACCESS_EXTENDED = "access.extended";

  /**
   * An approved extension was applied, on the extension's own trail: {@code details.extends} names
   * the grant it moved, {@code details.expiresAt} that grant's new end.
   */
  public static final String EXTENSION_APPLIED = "extension.applied";

  /**
   * Break-glass: the policy let the requester take the access at once, with no approval; {@code
   * details} carry the ticket, the justification, the skipped chain's groups (all told) and the
   * group that reviews it after the fact.
   */
  public static final String ACCESS_BREAK_GLASS = "access.break-glass";

  /**
   * A break-glass access was reviewed after the fact: {@code details.outcome} is {@code KEEP} or
   * {@code REVOKE} (the access ends at once, and the requester's next requests are flagged).
   */
  public static final String BREAK_GLASS_REVIEWED = "break-glass.reviewed";

  /** Nobody reviewed a break-glass access by its deadline: the admins may review it too. */
  public static final String BREAK_GLASS_REVIEW_ESCALATED = "break-glass.review-escalated";

  /**
   * An approver delegated their approvals for a period ({@code details}: delegator, delegate, from,
   * until, reason); the subject is the delegate.
   */
  public static final String DELEGATION_CREATED = "delegation.created";

  /** A delegation was ended before its time, by its delegator or an admin. */
  public static final String DELEGATION_ENDED = "delegation.ended";

  /** Someone ended an active grant before its time. */
  public static final String ACCESS_REVOKED = "access.revoked";

  /**
   * A request for several resources could not grant one of them after every retry ({@code
   * details.failedResource}): every resource of it was revoked and read back, and it ended FAILED.
   */
  public static final String ACCESS_FAILED = "access.failed";

  /** An active grant ended because its time ran out. */
  public static final String ACCESS_EXPIRED = "access.expired";

  /** The request was denied; nothing was granted. */
  public static final String ACCESS_DENIED = "access.denied";

  /** Nobody decided in time; nothing was granted. */
  public static final String ACCESS_LAPSED = "access.lapsed";

  /**
   * A drift sweep found a holder of a resource that nothing sanctions (or could not read a system:
   * detail {@code unreadable}).
   */
  public static final String ACCESS_DRIFT_FOUND = "access.drift-found";

  /** A drift sweep removed a holder nothing sanctions, and read it back as gone. */
  public static final String ACCESS_DRIFT_REMOVED = "access.drift-removed";

  /**
   * An access review listed the holders of a resource's standing access for its owner group: {@code
   * details} name the review, the owner group, the deadline and how many holders.
   */
  public static final String REVIEW_STARTED = "review.started";

  /**
   * A review's owners were reminded of the holders still waiting before its deadline ({@code
   * details.pending}).
   */
  public static final String REVIEW_REMINDED = "review.reminded";

  /** An owner kept or removed one holder of a review ({@code details.decision}). */
  public static final String REVIEW_DECIDED = "review.decided";

  /** A holder removed by a review (or unreviewed at its deadline) was revoked and read back. */
  public static final String REVIEW_REVOKED = "review.revoked";

  /**
   * Nobody decided on a holder by the review's deadline; {@code details.onUnreviewed} says whether
   * they are revoked or kept (and the admins told).
   */
  public static final String REVIEW_UNREVIEWED = "review.unreviewed";

  /**
   * A drift sweep started, by the timer or by an admin ({@code POST /api/drift-sweeps}); details:
   * the sweep's id.
   */
  public static final String DRIFT_SWEEP_STARTED = "drift.sweep-started";

  /**
   * An admin closed the Tasklist task of a reported drift finding, with their comment (details:
   * resource and person in the event's own fields).
   */
  public static final String DRIFT_FINDING_CLOSED = "drift.finding-closed";

  /** The requester withdrew a pending request. */
  public static final String ACCESS_CANCELLED = "access.cancelled";

  /** A connector call failed; the engine retries it or raises an incident. */
  public static final String CONNECTOR_FAILED = "connector.failed";

  /** A step could not finish and became an incident for a person. */
  public static final String INCIDENT_CREATED = "incident.created";

  /**
   * Portcullis refused something that someone tried (a self-approval, an action outside one's
   * role).
   */
  public static final String ACTION_REFUSED = "action.refused";

  public static final String INCIDENT_RESOLVED = "incident.resolved";

  /** An admin steered a process by hand (started it at an activity, modified, moved a job, ...). */
  public static final String ENGINE_STEERED = "engine.steered";

  /**
   * A login with a wrong name, password or token, at any door; beyond a burst from one address, one
   * summary per name and address per period ({@code details.count}, {@code first}, {@code last},
   * {@code doors}).
   */
  public static final String LOGIN_FAILED = "login.failed";

  /** The right password of someone an offboarding froze: refused at every door. */
  public static final String LOGIN_REFUSED = "login.refused";

  /**
   * Logins refused unchecked, because that name failed too often from that address: always a
   * summary per name and address per period ({@code details.count}, {@code first}, {@code last},
   * {@code doors}).
   */
  public static final String LOGIN_THROTTLED = "login.throttled";

  public static final String CATALOG_LOADED = "catalog.loaded";

  /**
   * A process or decision model was deployed to the engine; {@code details.sha256} has each
   * resource's digest.
   */
  public static final String DEPLOYMENT_CREATED = "deployment.created";

  /**
   * A deployment was deleted from the engine (any door), with what it held; {@code
   * details.cascade}: its instances too.
   */
  public static final String DEPLOYMENT_DELETED = "deployment.deleted";

  /**
   * Process definitions were deleted from the engine (any door); {@code details.cascade}: their
   * instances too.
   */
  public static final String PROCESS_DEFINITION_DELETED = "process-definition.deleted";

  /**
   * A notification went out on one channel (e-mail, webhook); {@code details.recipients} says to
   * how many.
   */
  public static final String NOTIFICATION_SENT = "notification.sent";

  /**
   * A channel did not take a notification; the engine retries it, then raises an incident of that
   * notification.
   */
  public static final String NOTIFICATION_FAILED = "notification.failed";

  /** An HR system, an admin or the identity provider asked for a person's offboarding. */
  public static final String OFFBOARDING_REQUESTED = "offboarding.requested";

  /**
   * A later ask moved a scheduled offboarding earlier: to now (the identity provider's
   * deactivation, an HR call without effectiveAt) or to an earlier effectiveAt; {@code details} say
   * who asked through which door, why, and from when to when.
   */
  public static final String OFFBOARDING_BROUGHT_FORWARD = "offboarding.brought-forward";

  /** A scheduled offboarding was cancelled before its effective time; nothing was done. */
  public static final String OFFBOARDING_CANCELLED = "offboarding.cancelled";

  /** The saga began: now, or at its effective time. */
  public static final String OFFBOARDING_STARTED = "offboarding.started";

  /**
   * A leaver's account in one system was disabled and read back as disabled; {@code
   * details.sessions} says what of sessions.
   */
  public static final String ACCOUNT_DISABLED = "account.disabled";

  /** What one system said the leaver holds, for one round of discovery. */
  public static final String HOLDINGS_DISCOVERED = "holdings.discovered";

  /**
   * A standing membership that no request gave was removed by an offboarding and read back as gone.
   */
  public static final String MEMBERSHIP_REVOKED = "membership.revoked";

  /** An approval task claimed by a leaver went back to its groups. */
  public static final String TASK_HANDED_BACK = "task.handed-back";

  /** Every system was asked again; {@code details.findings} is what was still there. */
  public static final String OFFBOARDING_VERIFIED = "offboarding.verified";

  /** Verification found something left: a task for an admin. */
  public static final String OFFBOARDING_FLAGGED = "offboarding.flagged";

  /** An admin had the saga look again. */
  public static final String OFFBOARDING_RETRIED = "offboarding.retried";

  /** The offboarding ended: nothing is left, or an admin closed it with a comment. */
  public static final String OFFBOARDING_COMPLETED = "offboarding.completed";

  /**
   * Events older than the retention setting were removed, up to a signed checkpoint that stays as
   * the anchor.
   */
  public static final String AUDIT_PRUNED = "audit.pruned";

  /**
   * A credential (an API key) was handed out to its requester, recorded by its key id, never its
   * secret.
   */
  public static final String CREDENTIAL_ISSUED = "credential.issued";

  /** A credential died with its grant (expiry, revoke, offboarding), by its key id. */
  public static final String CREDENTIAL_REVOKED = "credential.revoked";

  /**
   * A JWT credential's refresh token was used: the next access token (by its jti) and refresh token
   * were issued, by the family's id.
   */
  public static final String CREDENTIAL_REFRESHED = "credential.refreshed";

  /**
   * A refresh token already rotated was used again: the whole family (every refresh token and
   * access token of that hand-out) was revoked, by the family's id.
   */
  public static final String CREDENTIAL_REFRESH_REUSED = "credential.refresh-reused";

  /**
   * The holder revoked a credential at {@code POST /oauth2/revoke} (RFC 7009): a refresh token's
   * family or one access token, by the family's id and the jti.
   */
  public static final String CREDENTIAL_HOLDER_REVOKED = "credential.holder-revoked";

  private AuditAction() {}
}
