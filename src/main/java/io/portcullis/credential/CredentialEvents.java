package io.portcullis.credential;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.credential.CredentialStore.Revoked;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/** A credential's story in the audit trail, by its key id: never its secret nor its hash. */
@Component
class CredentialEvents {

  private final AuditTrail trail;

  CredentialEvents(@Lazy AuditTrail trail) {
    this.trail = trail;
  }

  void issued(Credential key) {
    trail.record(issuedDraft(key));
  }

  /** A JWT hand-out: its family's id as the key id, and its first access token's jti. */
  void issued(Credential family, String jti) {
    trail.record(issuedDraft(family).detail("jti", jti));
  }

  private static AuditEvent.Draft issuedDraft(Credential key) {
    return AuditEvent.Draft.by(key.holder(), AuditAction.CREDENTIAL_ISSUED)
        .subject(key.holder())
        .request(key.request(), null)
        .detail("keyId", key.id())
        .detail("kind", key.kind())
        .detail("connector", key.connector().value())
        .detail("expiresAt", key.expiresAt().toString());
  }

  void refreshed(Credential family, String jti) {
    trail.record(
        AuditEvent.Draft.by(family.holder(), AuditAction.CREDENTIAL_REFRESHED)
            .subject(family.holder())
            .request(family.request(), null)
            .detail("keyId", family.id())
            .detail("jti", jti)
            .detail("connector", family.connector().value()));
  }

  void refreshReused(Credential family) {
    trail.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.CREDENTIAL_REFRESH_REUSED)
            .subject(family.holder())
            .request(family.request(), null)
            .detail("keyId", family.id())
            .detail("connector", family.connector().value()));
  }

  /** The holder revoked a family (jti null) or one access token of it. */
  void holderRevoked(Credential family, String jti) {
    AuditEvent.Draft draft =
        AuditEvent.Draft.by(family.holder(), AuditAction.CREDENTIAL_HOLDER_REVOKED)
            .subject(family.holder())
            .request(family.request(), null)
            .detail("keyId", family.id())
            .detail("connector", family.connector().value());
    trail.record(jti == null ? draft : draft.detail("jti", jti));
  }

  void revoked(Revoked key, ConnectorName connector, Username holder) {
    trail.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.CREDENTIAL_REVOKED)
            .subject(holder)
            .request(key.request(), null)
            .detail("keyId", key.id())
            .detail("connector", connector.value()));
  }
}
