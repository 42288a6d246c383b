package io.portcullis.audit;

import io.portcullis.support.OnPostgres;

/** Every test of {@link AuditTamperingTest}, on PostgreSQL. */
@OnPostgres
class AuditTamperingOnPostgresTest extends AuditTamperingTest {}
