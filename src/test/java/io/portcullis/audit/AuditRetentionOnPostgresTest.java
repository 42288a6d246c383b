package io.portcullis.audit;

import io.portcullis.support.OnPostgres;

/** Every test of {@link AuditRetentionTest}, on PostgreSQL. */
@OnPostgres
class AuditRetentionOnPostgresTest extends AuditRetentionTest {}
