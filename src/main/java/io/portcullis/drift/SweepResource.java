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
 * under the lock a grant's steps take. A system still unreadable on the last attempt is a finding,
 * not an incident, so that it never holds the other resources up (docs/architecture.md, rule 5).
 */
@Component("sweepResource")
class SweepResource implements JavaDelegate {

  static final String ACTOR = "drift-sweep";
  static final String FOUND = "portcullis.drift.found";
  static final String REMOVED = "portcullis.drift.removed";

  private final Catalog catalog;
  private final Connectors connectors;
  private final Sanctioned sanctioned;
  private final AuditTrail audit;
  private final MeterRegistry meters;

  SweepResource(
      Catalog catalog,
      Connectors connectors,
      Sanctioned sanctioned,
      AuditTrail audit,
      MeterRegistry meters) {
    this.catalog = catalog;
    this.connectors = connectors;
    this.sanctioned = sanctioned;
    this.audit = audit;
    this.meters = meters;
  }

  @Override
  public void execute(DelegateExecution execution) {
    ResourceId id = ResourceId.of((String) execution.getVariable(DriftProcess.RESOURCE));
    Resource resource = catalog.find(id).orElseThrow();
    Connector connector = connectors.named(resource.connector());
    MemberListing listing =
        connectors.named(resource.connector(), MemberListing.class).orElseThrow();
    SortedSet<Username> drift;
    try {
      drift = sanctioned.drift(resource, listing.members(resource.target()));
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
      return;
    }
    for (Username holder : drift) {
      audit.record(
          AuditEvent.Draft.by(ACTOR, AuditAction.ACCESS_DRIFT_FOUND)
              .subject(holder)
              .resource(id)
              .detail("onDrift", resource.onDrift().name().toLowerCase(Locale.ROOT))
              .detail("reason", "neither a live grant nor the resource's standing list"));
      count(FOUND, resource, resource.onDrift().name().toLowerCase(Locale.ROOT));
      if (resource.onDrift() == OnDrift.REMOVE && !sanctioned.allowsNow(resource, holder)) {
        connector.revoke(holder, resource.target());
        if (connector.holds(holder, resource.target())) {
          throw new ConnectorException(
              holder + " still holds " + resource.target() + " after the drift sweep removed it");
        }
        audit.record(
            AuditEvent.Draft.by(ACTOR, AuditAction.ACCESS_DRIFT_REMOVED)
                .subject(holder)
                .resource(id)
                .detail("reason", "neither a live grant nor the resource's standing list"));
        count(REMOVED, resource, "remove");
      }
    }
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
