package io.portcullis.catalog;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records, at each start, the catalog in force: what could be requested, for how long, decided by
 * whom.
 */
@Component
class CatalogAudited {

  private final Catalog catalog;
  private final AuditTrail trail;

  CatalogAudited(Catalog catalog, AuditTrail trail) {
    this.catalog = catalog;
    this.trail = trail;
  }

  @EventListener(ApplicationReadyEvent.class)
  void loaded() {
    String entries =
        String.join(
            "; ",
            catalog.all().stream()
                .map(
                    r ->
                        r.id()
                            + " via "
                            + r.connector()
                            + " up to "
                            + r.maxDuration()
                            + ", "
                            + r.environment()
                            + ", risk "
                            + r.risk())
                .toList());
    trail.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.CATALOG_LOADED)
            .detail("resources", catalog.all().size())
            .detail("catalog", entries));
  }
}
