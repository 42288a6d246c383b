package io.portcullis.jobs;

import io.portcullis.support.OnPostgres;

/** Every test of {@link NodeLeaseTest}, on PostgreSQL. */
@OnPostgres
class NodeLeaseOnPostgresTest extends NodeLeaseTest {}
