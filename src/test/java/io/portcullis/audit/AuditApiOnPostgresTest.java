package io.portcullis.audit;

import io.portcullis.support.OnPostgres;

/** Every test of {@link AuditApiTest}, on PostgreSQL. */
@OnPostgres
class AuditApiOnPostgresTest extends AuditApiTest {}
