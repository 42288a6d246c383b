package io.portcullis.jobs;

import io.portcullis.support.OnPostgres;

/**
 * {@link ClockSkewTest} on PostgreSQL: the skew is measured against its {@code current_timestamp}.
 */
@OnPostgres
class ClockSkewOnPostgresTest extends ClockSkewTest {}
