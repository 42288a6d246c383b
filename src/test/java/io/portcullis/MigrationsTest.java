package io.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.PortcullisTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Flyway builds our tables the same on every database we run on (this class on H2, its subclass on
 * PostgreSQL): every migration applied, every table with the same columns in the same order, beside
 * the engine's own tables.
 */
@PortcullisTest
class MigrationsTest {

  static final Map<String, List<String>> TABLES =
      Map.ofEntries(
          Map.entry(
              "access_request",
              List.of(
                  "id",
                  "process_instance_id",
                  "requester",
                  "resource_id",
                  "connector",
                  "target",
                  "approver_group",
                  "duration",
                  "justification",
                  "ticket",
                  "status",
                  "requested_at",
                  "granted_at",
                  "expires_at",
                  "ended_at",
                  "ended_by",
                  "end_reason",
                  "access_preexisted",
                  "end_requested_by",
                  "end_requested_reason",
                  "standing_access_checked_at",
                  "grant_attempted_at",
                  "client_address",
                  "flags",
                  "start_at",
                  "extends_id",
                  "bundle_id",
                  "failed_resource")),
          Map.entry(
              "access_request_resource",
              List.of(
                  "request_id",
                  "position",
                  "resource_id",
                  "connector",
                  "target",
                  "access_preexisted")),
          Map.entry(
              "access_review",
              List.of(
                  "id",
                  "resource_id",
                  "owner_group",
                  "on_unreviewed",
                  "status",
                  "started_by",
                  "started_at",
                  "deadline",
                  "closed_at",
                  "process_instance_id",
                  "open_resource")),
          Map.entry(
              "access_review_item",
              List.of(
                  "review_id",
                  "item",
                  "holder",
                  "history",
                  "outcome",
                  "decided_by",
                  "decided_at",
                  "decision_comment",
                  "revoked_at",
                  "task_id")),
          Map.entry("access_revocation", List.of("process_instance_id", "request_id")),
          Map.entry(
              "access_decision",
              List.of(
                  "id",
                  "request_id",
                  "stage",
                  "approver",
                  "decision",
                  "comment",
                  "decided_at",
                  "duration",
                  "on_behalf_of")),
          Map.entry(
              "approval_delegation",
              List.of(
                  "id",
                  "delegator",
                  "delegate",
                  "valid_from",
                  "valid_until",
                  "reason",
                  "created_at",
                  "ended_at",
                  "ended_by",
                  "process_instance_id")),
          Map.entry("access_request_decider", List.of("request_id", "group_id")),
          Map.entry(
              "approval_chain",
              List.of(
                  "request_id",
                  "process_instance_id",
                  "requester",
                  "resource_id",
                  "kind",
                  "policy_version",
                  "opened_at")),
          Map.entry(
              "approval_stage",
              List.of(
                  "request_id",
                  "position",
                  "approver_group",
                  "quorum",
                  "remind_after",
                  "deadline",
                  "escalation_group",
                  "opened_at",
                  "escalated_at")),
          Map.entry(
              "audit_event",
              List.of(
                  "id",
                  "seq",
                  "event_time",
                  "actor",
                  "action",
                  "subject",
                  "resource",
                  "request_id",
                  "process_instance_id",
                  "details",
                  "entry_mac",
                  "prev_hash",
                  "hash",
                  "mac")),
          Map.entry("audit_head", List.of("id", "last_seq", "last_hash", "logged_seq")),
          Map.entry("audit_checkpoint", List.of("seq", "hash", "signed_at", "key_id", "signature")),
          Map.entry(
              "credential_slot",
              List.of("connector", "holder", "target", "opened_at", "closed_at")),
          Map.entry(
              "credential",
              List.of(
                  "id",
                  "request_id",
                  "kind",
                  "connector",
                  "holder",
                  "target",
                  "secret_sha256",
                  "issued_at",
                  "expires_at",
                  "revoked_at")),
          Map.entry(
              "credential_refresh_used", List.of("secret_sha256", "credential_id", "used_at")),
          Map.entry(
              "credential_revoked_jti",
              List.of("jti", "credential_id", "expires_at", "revoked_at")),
          Map.entry("node_lease", List.of("node_name", "instance_id", "taken_at", "renewed_at")),
          Map.entry(
              "notification",
              List.of(
                  "id",
                  "process_instance_id",
                  "kind",
                  "request_id",
                  "recipients",
                  "subject",
                  "facts",
                  "justification",
                  "comment_text",
                  "created_at")),
          Map.entry(
              "notification_delivery",
              List.of("notification_id", "channel", "recipients", "delivered_at")),
          Map.entry(
              "offboarding",
              List.of(
                  "id",
                  "username",
                  "person_key",
                  "reference",
                  "reason",
                  "effective_at",
                  "status",
                  "requested_by",
                  "requested_at",
                  "process_instance_id",
                  "open_for",
                  "person_found",
                  "started_at",
                  "frozen_at",
                  "ended_at",
                  "outcome",
                  "round")),
          Map.entry(
              "offboarding_item",
              List.of(
                  "id",
                  "offboarding_id",
                  "round",
                  "kind",
                  "system_name",
                  "target",
                  "request_id",
                  "found_at",
                  "done_at",
                  "done_how",
                  "verified_at",
                  "still_there")),
          Map.entry(
              "offboarding_finding",
              List.of("id", "offboarding_id", "round", "system_name", "what", "found_at")),
          Map.entry(
              "offboarding_failure",
              List.of(
                  "id",
                  "offboarding_id",
                  "at",
                  "step",
                  "system_name",
                  "item_id",
                  "retries_left",
                  "incident",
                  "error")),
          Map.entry(
              "drift_sweep",
              List.of(
                  "id",
                  "process_instance_id",
                  "started_by",
                  "started_at",
                  "finished_at",
                  "running")),
          Map.entry(
              "drift_sweep_resource",
              List.of("sweep_id", "resource_id", "swept_at", "holders", "unreadable")),
          Map.entry(
              "drift_finding", List.of("sweep_id", "resource_id", "person", "action", "detail")),
          Map.entry(
              "offboarding_resolution",
              List.of(
                  "offboarding_id",
                  "round",
                  "resolution",
                  "resolved_by",
                  "comment",
                  "resolved_at")),
          Map.entry(
              "break_glass_review",
              List.of(
                  "request_id",
                  "requester",
                  "review_group",
                  "skipped_groups",
                  "opened_at",
                  "process_instance_id",
                  "escalated_at",
                  "outcome",
                  "reviewed_by",
                  "reviewed_at",
                  "review_comment")),
          Map.entry(
              "offboarding_ask",
              List.of(
                  "id",
                  "offboarding_id",
                  "asked_at",
                  "asked_by",
                  "door",
                  "reference",
                  "reason",
                  "effective_at",
                  "outcome",
                  "moved_from",
                  "applied_at")));

  @Autowired JdbcTemplate jdbc;

  @Test
  void everyMigrationIsAppliedAndEachTableHasItsColumns() {
    assertThat(
            jdbc.queryForList(
                "select \"version\" from \"flyway_schema_history\" where \"success\" = true and \"version\" is not null order by \"installed_rank\"",
                String.class))
        .containsExactly(
            "1", "2", "3", "3.1", "4", "5", "6", "7", "8", "8.1", "9", "9.1", "9.5", "9.6", "10",
            "11", "12", "13", "14", "15", "16", "16.3", "17", "18", "19", "20", "21");
    TABLES.forEach(
        (table, columns) ->
            assertThat(
                    jdbc.queryForList(
                        "select lower(column_name) from information_schema.columns "
                            + "where lower(table_name) = ? and lower(table_schema) = lower(current_schema()) order by ordinal_position",
                        String.class,
                        table))
                .as(table)
                .containsExactlyElementsOf(columns));
    assertThat(
            jdbc.queryForObject(
                "select count(*) from information_schema.tables where lower(table_name) = 'act_ru_job' "
                    + "and lower(table_schema) = lower(current_schema())",
                Integer.class))
        .as("the engine's tables beside ours")
        .isEqualTo(1);
  }
}
