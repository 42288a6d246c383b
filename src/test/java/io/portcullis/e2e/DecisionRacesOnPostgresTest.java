package io.portcullis.e2e;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link DecisionRacesTest}, on PostgreSQL, whose locks and isolation differ from
 * H2's.
 */
@OnPostgres
class DecisionRacesOnPostgresTest extends DecisionRacesTest {}
