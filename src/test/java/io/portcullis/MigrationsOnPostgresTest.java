package io.portcullis;

import io.portcullis.support.OnPostgres;

/** Every test of {@link MigrationsTest}, on PostgreSQL. */
@OnPostgres
class MigrationsOnPostgresTest extends MigrationsTest {}
