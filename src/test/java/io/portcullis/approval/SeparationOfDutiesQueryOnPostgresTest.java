package io.portcullis.approval;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link SeparationOfDutiesQueryTest}, on PostgreSQL: the query is plain SQL, run by
 * both databases.
 */
@OnPostgres
class SeparationOfDutiesQueryOnPostgresTest extends SeparationOfDutiesQueryTest {}
