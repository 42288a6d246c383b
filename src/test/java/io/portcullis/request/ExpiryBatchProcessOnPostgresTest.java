package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/** Every test of {@link ExpiryBatchProcessTest}, on PostgreSQL (SKIP LOCKED, FETCH FIRST). */
@OnPostgres
class ExpiryBatchProcessOnPostgresTest extends ExpiryBatchProcessTest {}
