package io.portcullis.offboarding;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link OffboardingProcessTest}, on PostgreSQL: the saga's SQL (its locks, its
 * unique keys) is PostgreSQL's too.
 */
@OnPostgres
class OffboardingProcessOnPostgresTest extends OffboardingProcessTest {}
