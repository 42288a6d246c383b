package io.portcullis.jobs;

import org.junit.jupiter.api.Tag;

/** {@link DueJobsIndexTest} on a fresh database of the JVM's PostgreSQL. */
@Tag("postgres")
class DueJobsIndexOnPostgresTest extends DueJobsIndexTest {

  @Override
  Database newDatabase() {
    return onPostgres();
  }
}
