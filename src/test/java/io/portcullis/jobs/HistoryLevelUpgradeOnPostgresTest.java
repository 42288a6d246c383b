package io.portcullis.jobs;

import org.junit.jupiter.api.Tag;

/** {@link HistoryLevelUpgradeTest} on a fresh database of the JVM's PostgreSQL. */
@Tag("postgres")
class HistoryLevelUpgradeOnPostgresTest extends HistoryLevelUpgradeTest {

  @Override
  Database newDatabase() {
    return onPostgres();
  }
}
