package io.portcullis.drift;

import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.OnDrift;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.MemberListing;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.Locale;
import java.util.SortedSet;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.springframework.stereotype.Component;

/**
 * Sweeps one resource (one instance per resource whose connector lists members): who holds it, less
 * what {@link Sanctioned} allows, is drift; each holder is an {@code access.drift-found} event and,
 * where the resource says {@code on-drift: remove}, is removed, read back as gone and recorded
 * {@code access.drift-removed}, unless a grant or standing access sanctions them when asked again,
 * holding the people as a grant's first steps hold their requester ({@link
 * Sanctioned#holdForRemoval}); with {@code on-drift: report}, the finding is an admin's task and a
 * notice ({@link DriftFindings}). Each is a line of the sweep's stored report ({@link
 * DriftReports}). A system still unreadable on the last attempt is a finding, not an incident, so
 * that it never holds the other resources up (docs/architecture.md, rule 5).
 */
@Component("sweepResource")
class SweepResource implements JavaDelegate {

  static final String ACTOR = "drift-sweep";
  static final String FOUND = "portcullis.drift.found";
  static final String REMOVED = "portcullis.drift.removed";
  static final String REASON = "neither a live grant nor the resource's standing list";

  private final Catalog catalog;
  private final Connectors connectors;
  private final Sanctioned sanctioned;
  private final AuditTrail audit;
  private final MeterRegistry meters;
  private final DriftReports reports;
  private final DriftFindings findings;

  SweepResource(
      Catalog catalog,
      Connectors connectors,
      Sanctioned sanctioned,
      AuditTrail audit,
      MeterRegistry meters,
      DriftReports reports,
      DriftFindings findings) {
    this.reports = reports;
    this.findings = findings;
    this.catalog = catalog;
    this.connectors = connectors;
    this.sanctioned = sanctioned;
    this.audit = audit;
    this.meters = meters;
  }

  @Override
  public void execute(DelegateExecution execution) {
    DriftReports.Sweep sweep =
        reports
            .ofInstance(execution.getProcessInstanceId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "instance " + execution.getProcessInstanceId() + " has no sweep's report"));
    ResourceId id = ResourceId.of((String) execution.getVariable(DriftProcess.RESOURCE));
    Resource resource = catalog.find(id).orElseThrow();
    Connector connector = connectors.named(resource.connector());
    MemberListing listing =
        connectors.named(resource.connector(), MemberListing.class).orElseThrow();
    Collection<Username> holders;
    try {
      holders = listing.members(resource.target());
    } catch (ConnectorException e) {
      if (!lastAttempt()) {
        throw e;
      }
      audit.record(
          AuditEvent.Draft.by(ACTOR, AuditAction.ACCESS_DRIFT_FOUND)
              .resource(id)
              .detail("unreadable", true)
              .detail("system", resource.connector().value())
              .detail("error", String.valueOf(e.getMessage())));
      count(FOUND, resource, "unreadable");
      reports.resource(
          sweep.id(), id.value(), DriftSweeps.now(), null, String.valueOf(e.getMessage()));
      return;
    }
    SortedSet<Username> drift = sanctioned.drift(resource, holders);
    reports.resource(sweep.id(), id.value(), DriftSweeps.now(), holders.size(), null);
    boolean remove = resource.onDrift() == OnDrift.REMOVE;
    if (remove) {
      // held until this step commits: a grant that starts meanwhile waits, or is seen below
      sanctioned.holdForRemoval(drift);
    }
    for (Username holder : drift) {
      audit.record(
          AuditEvent.Draft.by(ACTOR, AuditAction.ACCESS_DRIFT_FOUND)
              .subject(holder)
              .resource(id)
              .detail("onDrift", resource.onDrift().name().toLowerCase(Locale.ROOT))
              .detail("reason", REASON));
      count(FOUND, resource, resource.onDrift().name().toLowerCase(Locale.ROOT));
      if (!remove) {
        boolean opened = findings.raise(id, holder, sweep.id());
        reports.finding(
            sweep.id(),
            id.value(),
            holder.value(),
            FindingAction.REPORTED,
            opened ? "a task for the admins" : "its task is open already");
      } else if (sanctioned.allowsNow(resource, holder)) {
        reports.finding(
            sweep.id(),
            id.value(),
            holder.value(),
            FindingAction.KEPT_BECAUSE_GRANTED,
            "a live grant or the standing list sanctions them, asked again before the removal");
      } else {
        remove(sweep, resource, connector, holder);
      }
    }
  }

  private void remove(
      DriftReports.Sweep sweep, Resource resource, Connector connector, Username holder) {
    try {
      connector.revoke(holder, resource.target());
      if (connector.holds(holder, resource.target())) {
        throw new ConnectorException(
            holder + " still holds " + resource.target() + " after the drift sweep removed it");
      }
    } catch (ConnectorException e) {
      if (!lastAttempt()) {
        throw e;
      }
      // the next sweep finds the holder again and tries again
      reports.finding(
          sweep.id(),
          resource.id().value(),
          holder.value(),
          FindingAction.REMOVAL_FAILED,
          String.valueOf(e.getMessage()));
      count(FOUND, resource, "removal-failed");
      return;
    }
    audit.record(
        AuditEvent.Draft.by(ACTOR, AuditAction.ACCESS_DRIFT_REMOVED)
            .subject(holder)
            .resource(resource.id())
            .detail("reason", REASON)
            .detail("sweep", sweep.id()));
    count(REMOVED, resource, "remove");
    reports.finding(
        sweep.id(), resource.id().value(), holder.value(), FindingAction.REMOVED, REASON);
  }

  private void count(String meter, Resource resource, String outcome) {
    meters.counter(meter, "resource", resource.id().value(), "outcome", outcome).increment();
  }

  private static boolean lastAttempt() {
    CommandContext command = Context.getCommandContext();
    JobEntity job = command == null ? null : command.getCurrentJob();
    return job != null && job.getRetries() <= 1;
  }
}
