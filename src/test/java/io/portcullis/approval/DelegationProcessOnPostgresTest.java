package io.portcullis.approval;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link DelegationProcessTest}, on PostgreSQL: the delegations in force and the
 * query of what a delegate may decide are plain SQL, run by both databases.
 */
@OnPostgres
class DelegationProcessOnPostgresTest extends DelegationProcessTest {}
