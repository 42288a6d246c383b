package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/** Every test of {@link JitAccessProcessTest}, on PostgreSQL. */
@OnPostgres
class JitAccessProcessOnPostgresTest extends JitAccessProcessTest {}
