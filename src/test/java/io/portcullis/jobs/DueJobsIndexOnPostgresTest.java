package io.portcullis.jobs;

import io.portcullis.support.PostgresServer;
import org.junit.jupiter.api.Tag;

/** {@link DueJobsIndexTest} on a fresh database of the JVM's PostgreSQL. */
@Tag("postgres")
class DueJobsIndexOnPostgresTest extends DueJobsIndexTest {

  @Override
  String createDatabase() {
    return PostgresServer.get().createDatabase();
  }

  @Override
  String user() {
    return PostgresServer.get().user();
  }

  @Override
  String password() {
    return PostgresServer.get().password();
  }
}
