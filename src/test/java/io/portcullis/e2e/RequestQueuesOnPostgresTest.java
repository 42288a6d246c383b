package io.portcullis.e2e;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link RequestQueuesTest}, on PostgreSQL: the queue's lock is PostgreSQL's row lock
 * there.
 */
@OnPostgres
class RequestQueuesOnPostgresTest extends RequestQueuesTest {}
