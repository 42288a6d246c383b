package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link UnusualAccessProcessTest}, on PostgreSQL: the flags' questions are SQL of
 * their own.
 */
@OnPostgres
class UnusualAccessProcessOnPostgresTest extends UnusualAccessProcessTest {}
