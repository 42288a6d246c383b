package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/** Every test of {@link GrantAttemptsProcessTest}, on PostgreSQL. */
@OnPostgres
class GrantAttemptsProcessOnPostgresTest extends GrantAttemptsProcessTest {}
