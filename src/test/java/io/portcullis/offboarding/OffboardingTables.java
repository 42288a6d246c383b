package io.portcullis.offboarding;

import org.springframework.jdbc.core.JdbcTemplate;

/** Empties offboarding's tables, children first, for tests that share a context. */
public final class OffboardingTables {

  private OffboardingTables() {}

  public static void deleteAll(JdbcTemplate jdbc) {
    for (String table :
        new String[] {
          "offboarding_ask",
          "offboarding_resolution",
          "offboarding_failure",
          "offboarding_finding",
          "offboarding_item",
          "offboarding"
        }) {
      jdbc.execute("delete from " + table);
    }
  }
}
