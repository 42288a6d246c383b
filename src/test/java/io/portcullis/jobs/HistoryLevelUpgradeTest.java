package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every install before our own history level made its database with {@code full}: such a database
 * starts with {@code portcullis} (the engine would refuse it otherwise) and says so from then on.
 * Two starts of the whole application on one database, on H2 here and on PostgreSQL in {@link
 * HistoryLevelUpgradeOnPostgresTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class HistoryLevelUpgradeTest extends StartsOnOneDatabase {

  @Test
  void aDatabaseMadeWithFullStartsWithOurLevelAndThenSaysOurs(CapturedOutput output) {
    Database database = newDatabase();
    try (ConfigurableApplicationContext before =
        start(database, "--camunda.bpm.history-level=full")) {
      assertThat(historyLevelIn(before)).isEqualTo("3");
    }
    assertThat(output.getAll()).doesNotContain("history level in the database changed");

    try (ConfigurableApplicationContext after = start(database)) {
      assertThat(historyLevelIn(after)).isEqualTo("26");
      assertThat(
              ((ProcessEngineConfigurationImpl)
                      after.getBean(ProcessEngine.class).getProcessEngineConfiguration())
                  .getHistoryLevel())
          .isSameAs(PortcullisHistoryLevel.INSTANCE);
      assertThat(output.getAll())
          .containsOnlyOnce(
              "The engine's history level in the database changed from full (3) to portcullis (26)");
      // at the next start there is nothing left to do
      assertThat(after.getBean(HistoryLevelUpgrade.class).upgrade()).isFalse();
    }
  }

  private static String historyLevelIn(ConfigurableApplicationContext context) {
    return context
        .getBean(JdbcTemplate.class)
        .queryForObject(
            "select value_ from act_ge_property where name_ = 'historyLevel'", String.class);
  }
}
