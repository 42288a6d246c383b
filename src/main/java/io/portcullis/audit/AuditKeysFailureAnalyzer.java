package io.portcullis.audit;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up without the audit keys ends with what is missing and how to make it, not a stack of
 * beans.
 */
class AuditKeysFailureAnalyzer extends AbstractFailureAnalyzer<MissingAuditKeyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingAuditKeyException cause) {
    return new FailureAnalysis(
        "The audit trail's keys are not configured: " + cause.getMessage() + ".",
        "Set "
            + AuditKeys.HMAC_KEY
            + " (base64 of 32 random bytes), "
            + AuditKeys.SIGNING_KEY
            + " (Ed25519 private key, "
            + "PKCS#8, base64) and "
            + AuditKeys.PUBLIC_KEY
            + " (its public key, X.509, base64), for example as the environment "
            + "variables PORTCULLIS_AUDIT_HMAC_KEY, PORTCULLIS_AUDIT_SIGNING_KEY and PORTCULLIS_AUDIT_PUBLIC_KEY. "
            + "docs/audit.md shows how to generate them.",
        cause);
  }
}
