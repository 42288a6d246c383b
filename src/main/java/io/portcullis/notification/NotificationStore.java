package io.portcullis.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The notices Portcullis stored, each bound to the instance of {@code processes/notification.bpmn}
 * that sends it, and which channels have taken each one already.
 */
@Repository
class NotificationStore {

  private static final Logger log = LoggerFactory.getLogger(NotificationStore.class);

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  NotificationStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A notice as stored: its own id and the instance that sends it. */
  record StoredNotice(String id, String processInstanceId, Notice notice, Instant createdAt) {}

  /**
   * Stores the notice, in the caller's transaction; it is bound to its instance by {@link #bind}.
   */
  void insert(String id, Notice notice) {
    jdbc.update(
        "insert into notification (id, kind, request_id, recipients, subject, facts, justification, comment_text, created_at) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        notice.kind(),
        notice.requestId(),
        write(notice.recipients()),
        notice.subject(),
        write(notice.facts()),
        notice.justification(),
        notice.comment(),
        utc(now()));
  }

  void bind(String id, String processInstanceId) {
    jdbc.update(
        "update notification set process_instance_id = ? where id = ? and process_instance_id is null",
        processInstanceId,
        id);
  }

  /** The notice bound to this instance; none for an instance that Portcullis did not start. */
  Optional<StoredNotice> byInstance(String processInstanceId) {
    return jdbc
        .query(
            "select id, process_instance_id, kind, request_id, recipients, subject, facts, justification, comment_text, "
                + "created_at from notification where process_instance_id = ?",
            (rs, n) ->
                new StoredNotice(
                    rs.getString("id"),
                    rs.getString("process_instance_id"),
                    new Notice(
                        rs.getString("kind"),
                        rs.getString("request_id"),
                        read(rs.getString("recipients"), new TypeReference<>() {}),
                        rs.getString("subject"),
                        read(
                            rs.getString("facts"),
                            new TypeReference<LinkedHashMap<String, String>>() {}),
                        rs.getString("justification"),
                        rs.getString("comment_text")),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant()),
            processInstanceId)
        .stream()
        .findFirst();
  }

  /** The channels that took this notice already. */
  Set<String> deliveredChannels(String id) {
    return new TreeSet<>(
        jdbc.queryForList(
            "select channel from notification_delivery where notification_id = ?",
            String.class,
            id));
  }

  /**
   * Records that a channel took the notice, so that whatever happens to the sending step's
   * transaction (another channel failing rolls it back) a retry never sends on this channel again.
   * Inside a transaction it is written when that transaction has ended, on the same connection,
   * committed on its own (as the audit trail writes a refusal: no second pooled connection is held
   * meanwhile).
   */
  void deliveredOnItsOwn(String id, String channel, int recipients) {
    Instant at = now();
    if (!TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.isSynchronizationActive()) {
      insertDelivery(jdbc, id, channel, recipients, at);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            afterTransaction(id, channel, recipients, at);
          }
        });
  }

  private void afterTransaction(String id, String channel, int recipients, Instant at) {
    DataSource dataSource = jdbc.getDataSource();
    Object resource =
        dataSource == null ? null : TransactionSynchronizationManager.getResource(dataSource);
    try {
      if (resource instanceof ConnectionHolder holder && holder.getConnection() != null) {
        Connection con = holder.getConnection();
        boolean autoCommit = con.getAutoCommit();
        try {
          con.setAutoCommit(false);
          insertDelivery(
              new JdbcTemplate(new SingleConnectionDataSource(con, true)),
              id,
              channel,
              recipients,
              at);
          con.commit();
        } catch (SQLException | RuntimeException e) {
          con.rollback();
          throw e;
        } finally {
          con.setAutoCommit(autoCommit);
        }
      } else {
        insertDelivery(jdbc, id, channel, recipients, at);
      }
    } catch (SQLException | RuntimeException e) {
      // the message has left; a retry of the step would send it on this channel once more
      log.error(
          "notification {}: the delivery on {} could not be recorded; a retry sends it again: {}",
          id,
          channel,
          e.toString());
    }
  }

  private static void insertDelivery(
      JdbcTemplate on, String id, String channel, int recipients, Instant at) {
    // a second record of the same delivery (a step run twice at once) changes nothing
    on.update(
        "insert into notification_delivery (notification_id, channel, recipients, delivered_at) select ?, ?, ?, ? "
            + "where not exists (select 1 from notification_delivery where notification_id = ? and channel = ?)",
        id,
        channel,
        recipients,
        utc(at),
        id,
        channel);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a notice could not be written as JSON", e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored notice could not be read", e);
    }
  }

  /** The engine's clock, which tests move. */
  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
