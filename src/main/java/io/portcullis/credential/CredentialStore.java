package io.portcullis.credential;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The credential tables (V11): slots that a credential connector's grant opens and its revoke
 * closes, and the credentials handed out, by the SHA-256 of their secret. Every write joins the
 * caller's transaction, which in a process step is the engine's (docs/architecture.md, rule 4).
 */
@Repository
class CredentialStore {

  private final NamedParameterJdbcTemplate jdbc;

  CredentialStore(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Opens the slot, or opens a closed one again; an open slot is left as it is (a repeated grant
   * changes nothing).
   */
  void openSlot(ConnectorName connector, Username holder, Target target, Instant at) {
    MapSqlParameterSource slot = slot(connector, holder, target).addValue("at", utc(at));
    boolean exists =
        Boolean.TRUE.equals(
            jdbc.queryForObject(
                "select count(*) > 0 from credential_slot where connector = :c "
                    + "and holder = :h and target = :t",
                slot,
                Boolean.class));
    if (exists) {
      jdbc.update(
          "update credential_slot set opened_at = :at, closed_at = null where connector = :c and holder = :h and target = :t "
              + "and closed_at is not null",
          slot);
    } else {
      jdbc.update(
          "insert into credential_slot (connector, holder, target, opened_at, closed_at) values (:c, :h, :t, :at, null)",
          slot);
    }
  }

  /**
   * Closes the slot and revokes every credential issued in it that still lives; the ids of those
   * revoked.
   */
  List<Revoked> closeSlot(ConnectorName connector, Username holder, Target target, Instant at) {
    MapSqlParameterSource slot = slot(connector, holder, target).addValue("at", utc(at));
    jdbc.update(
        "update credential_slot set closed_at = :at where connector = :c and holder = :h and target = :t and closed_at is null",
        slot);
    List<Revoked> live =
        jdbc.query(
            "select id, request_id from credential where connector = :c and holder = :h and target = :t "
                + "and revoked_at is null order by issued_at, id",
            slot,
            (rs, n) -> new Revoked(rs.getString(1), RequestId.of(rs.getString(2))));
    jdbc.update(
        "update credential set revoked_at = :at where connector = :c and holder = :h and target = :t and revoked_at is null",
        slot);
    return live;
  }

  /** Disables the holder's account in this instance; disabling a disabled one changes nothing. */
  void disableAccount(ConnectorName connector, Username holder, Instant at) {
    if (!accountDisabled(connector, holder)) {
      jdbc.update(
          "insert into credential_account_disabled (connector, holder, disabled_at) values (:c, :h, :at)",
          account(connector, holder).addValue("at", utc(at)));
    }
  }

  void enableAccount(ConnectorName connector, Username holder) {
    jdbc.update(
        "delete from credential_account_disabled where connector = :c and holder = :h",
        account(connector, holder));
  }

  boolean accountDisabled(ConnectorName connector, Username holder) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select count(*) > 0 from credential_account_disabled where connector = :c and holder = :h",
            account(connector, holder),
            Boolean.class));
  }

  private static MapSqlParameterSource account(ConnectorName connector, Username holder) {
    return new MapSqlParameterSource("c", connector.value()).addValue("h", holder.value());
  }

  boolean slotOpen(ConnectorName connector, Username holder, Target target) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select count(*) > 0 from credential_slot where connector = :c and holder = :h "
                + "and target = :t and closed_at is null",
            slot(connector, holder, target),
            Boolean.class));
  }

  boolean issuedFor(RequestId request, String kind) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select count(*) > 0 from credential where request_id = :r and kind = :k",
            new MapSqlParameterSource("r", request.value()).addValue("k", kind),
            Boolean.class));
  }

  /**
   * Stores a credential; a second one of the same kind for the same request breaks a unique
   * constraint.
   */
  void insert(Credential c) {
    jdbc.update(
        "insert into credential (id, request_id, kind, connector, holder, target, secret_sha256, issued_at, expires_at, revoked_at) "
            + "values (:id, :r, :k, :c, :h, :t, :s, :issued, :expires, null)",
        slot(c.connector(), c.holder(), c.target())
            .addValue("id", c.id())
            .addValue("r", c.request().value())
            .addValue("k", c.kind())
            .addValue("s", c.secretSha256())
            .addValue("issued", utc(c.issuedAt()))
            .addValue("expires", utc(c.expiresAt())));
  }

  /** The credential whose secret has this hash, revoked or not. */
  Optional<Credential> bySecret(String secretSha256) {
    return jdbc
        .query(
            "select * from credential where secret_sha256 = :s",
            new MapSqlParameterSource("s", secretSha256),
            CredentialStore::row)
        .stream()
        .findFirst();
  }

  /** The credential of this kind handed out for this request, revoked or not. */
  Optional<Credential> byRequest(RequestId request, String kind) {
    return jdbc
        .query(
            "select * from credential where request_id = :r and kind = :k",
            new MapSqlParameterSource("r", request.value()).addValue("k", kind),
            CredentialStore::row)
        .stream()
        .findFirst();
  }

  /** The credential of this id, revoked or not. */
  Optional<Credential> byId(String id) {
    return jdbc
        .query(
            "select * from credential where id = :id",
            new MapSqlParameterSource("id", id),
            CredentialStore::row)
        .stream()
        .findFirst();
  }

  /**
   * Rotates a family's refresh token: only from the hash it holds now, so of two uses of one token
   * at once one rotates and the other finds it rotated (a reuse); keeps the old hash as used.
   * Whether this call rotated it.
   */
  boolean rotate(String id, String fromSha256, String toSha256, Instant at) {
    int changed =
        jdbc.update(
            "update credential set secret_sha256 = :to where id = :id and secret_sha256 = :from "
                + "and revoked_at is null",
            new MapSqlParameterSource("id", id)
                .addValue("from", fromSha256)
                .addValue("to", toSha256));
    if (changed == 1) {
      jdbc.update(
          "insert into credential_refresh_used (secret_sha256, credential_id, used_at) values (:s, :id, :at)",
          new MapSqlParameterSource("s", fromSha256).addValue("id", id).addValue("at", utc(at)));
    }
    return changed == 1;
  }

  /** The family whose refresh token, rotated away already, had this hash. */
  Optional<String> usedBy(String secretSha256) {
    return jdbc
        .queryForList(
            "select credential_id from credential_refresh_used where secret_sha256 = :s",
            new MapSqlParameterSource("s", secretSha256),
            String.class)
        .stream()
        .findFirst();
  }

  /** Revokes a credential (a whole refresh family with its access tokens); whether it was live. */
  boolean revoke(String id, Instant at) {
    return jdbc.update(
            "update credential set revoked_at = :at where id = :id and revoked_at is null",
            new MapSqlParameterSource("id", id).addValue("at", utc(at)))
        == 1;
  }

  /** Revokes one access token by its jti, kept until its own expiry. */
  void revokeJti(String jti, String credentialId, Instant expiresAt, Instant at) {
    MapSqlParameterSource row =
        new MapSqlParameterSource("jti", jti)
            .addValue("id", credentialId)
            .addValue("exp", utc(expiresAt))
            .addValue("at", utc(at));
    if (!jtiRevoked(jti)) {
      try {
        jdbc.update(
            "insert into credential_revoked_jti (jti, credential_id, expires_at, revoked_at) "
                + "values (:jti, :id, :exp, :at)",
            row);
      } catch (DuplicateKeyException e) {
        // revoked by a call at the same instant: revoked either way
      }
    }
  }

  boolean jtiRevoked(String jti) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select count(*) > 0 from credential_revoked_jti where jti = :jti",
            new MapSqlParameterSource("jti", jti),
            Boolean.class));
  }

  private static Credential row(ResultSet rs, int n) throws SQLException {
    return new Credential(
        rs.getString("id"),
        RequestId.of(rs.getString("request_id")),
        rs.getString("kind"),
        ConnectorName.of(rs.getString("connector")),
        Username.of(rs.getString("holder")),
        Target.of(rs.getString("target")),
        rs.getString("secret_sha256"),
        instant(rs, "issued_at"),
        instant(rs, "expires_at"),
        instant(rs, "revoked_at"));
  }

  private static MapSqlParameterSource slot(
      ConnectorName connector, Username holder, Target target) {
    return new MapSqlParameterSource("c", connector.value())
        .addValue("h", holder.value())
        .addValue("t", target.value());
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** A credential as stored: never its secret. */
  record Credential(
      String id,
      RequestId request,
      String kind,
      ConnectorName connector,
      Username holder,
      Target target,
      String secretSha256,
      Instant issuedAt,
      Instant expiresAt,
      Instant revokedAt) {}

  /** A credential that a slot's close revoked. */
  record Revoked(String id, RequestId request) {}
}
