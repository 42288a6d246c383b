package io.portcullis.support;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Empties the tables of requests and their approval chains, children first, for tests that share a
 * context.
 */
public final class RequestTables {

  private RequestTables() {}

  public static void deleteAll(JdbcTemplate jdbc) {
    for (String table :
        new String[] {
          "access_decision",
          "approval_stage",
          "approval_chain",
          "access_request_decider",
          "access_request_resource",
          "access_revocation",
          "break_glass_review",
          "access_request",
          "credential",
          "credential_slot",
          "credential_account_disabled"
        }) {
      jdbc.execute("delete from " + table);
    }
  }
}
