package io.portcullis.e2e;

import io.portcullis.support.OnPostgres;

/** Every test of {@link AccessRequestApiTest}, on PostgreSQL. */
@OnPostgres
class AccessRequestApiOnPostgresTest extends AccessRequestApiTest {}
