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
    trail.record(
        AuditEvent.Draft.by(key.holder(), AuditAction.CREDENTIAL_ISSUED)
            .subject(key.holder())
            .request(key.request(), null)
            .detail("keyId", key.id())
            .detail("kind", key.kind())
            .detail("connector", key.connector().value())
            .detail("expiresAt", key.expiresAt().toString()));
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
