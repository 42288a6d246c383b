package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/** Every test of {@link AccessLockTest}, on PostgreSQL. */
@OnPostgres
class AccessLockOnPostgresTest extends AccessLockTest {}
