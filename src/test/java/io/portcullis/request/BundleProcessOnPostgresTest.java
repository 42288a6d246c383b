package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link BundleProcessTest}, on PostgreSQL: the locks and queries over the resources
 * of a request for several (V16) are PostgreSQL's own there.
 */
@OnPostgres
class BundleProcessOnPostgresTest extends BundleProcessTest {}
