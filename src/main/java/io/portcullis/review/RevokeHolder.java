package io.portcullis.review;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Revokes a holder a review removed (or left unreviewed where the resource says revoke) through the
 * connector, reads it back as gone and records {@code review.revoked}. Owed only while the stored
 * item says so and is not revoked yet, so a retry or a second run does nothing twice; a live grant
 * that appeared meanwhile keeps the access (its own end revokes it: docs/architecture.md, rule 9).
 */
@Component("revokeHolder")
class RevokeHolder implements JavaDelegate {

  private final ReviewCampaign campaigns;
  private final ReviewStore store;
  private final Catalog catalog;
  private final Connectors connectors;
  private final Holders holders;
  private final AuditTrail audit;

  RevokeHolder(
      ReviewCampaign campaigns,
      ReviewStore store,
      Catalog catalog,
      Connectors connectors,
      Holders holders,
      AuditTrail audit) {
    this.campaigns = campaigns;
    this.store = store;
    this.catalog = catalog;
    this.connectors = connectors;
    this.holders = holders;
    this.audit = audit;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Campaign campaign = campaigns.campaign(execution);
    ReviewItem item = campaigns.item(execution);
    if (!item.outcome().revokes() || item.revokedAt() != null) {
      return;
    }
    Resource resource = catalog.find(campaign.resource()).orElseThrow();
    AuditEvent.Draft revoked =
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.REVIEW_REVOKED)
            .subject(item.holder())
            .resource(campaign.resource())
            .detail("review", campaign.id())
            .detail("item", item.item())
            .detail("outcome", item.outcome().name());
    if (holders.liveGrant(resource, item.holder())) {
      revoked.detail("leftInPlace", "a live grant gives the access; its own end revokes it");
    } else {
      Connector connector = connectors.named(resource.connector());
      connector.revoke(item.holder(), resource.target());
      if (connector.holds(item.holder(), resource.target())) {
        throw new ConnectorException(
            item.holder() + " still holds " + resource.target() + " after the review revoked it");
      }
    }
    store.revoked(campaign.id(), item.item(), ClockUtil.getCurrentTime().toInstant());
    audit.record(revoked);
  }
}
