package io.portcullis.audit;

import io.portcullis.support.OnPostgres;

/** Every test of {@link AuditTrailTest}, on PostgreSQL. */
@OnPostgres
class AuditTrailOnPostgresTest extends AuditTrailTest {}
