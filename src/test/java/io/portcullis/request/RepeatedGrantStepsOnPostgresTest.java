package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link RepeatedGrantStepsTest}, on PostgreSQL (the database of the two-node test
 * that found the lost grant).
 */
@OnPostgres
class RepeatedGrantStepsOnPostgresTest extends RepeatedGrantStepsTest {}
