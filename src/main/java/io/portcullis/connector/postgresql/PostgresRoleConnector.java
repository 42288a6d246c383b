package io.portcullis.connector.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Discovery;
import io.portcullis.connector.postgresql.PostgresRoleConnectorType.PostgresRoleSettings;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants access as membership of a PostgreSQL role: the target is the role's name, the person's
 * login is the instance's {@code login} template applied to their user name. Grant is {@code GRANT
 * role TO login}, revoke {@code REVOKE role FROM login}, both read back from {@code
 * pg_auth_members} (direct membership: what the connector grants and takes away).
 *
 * <p>A revoke does not touch open sessions (a session that ran {@code SET ROLE} keeps the role's
 * privileges until it disconnects), so after the revoke has committed, unless the login still
 * reaches the role another way ({@code pg_has_role}: a standing membership through another role),
 * every session of the login that started before the revoke is ended ({@code pg_terminate_backend})
 * and the connector reads back that none is left. PostgreSQL does not show which role a session has
 * set, so every such session of the login ends, whatever role it uses.
 *
 * <p>Identifiers are never pasted into SQL: the server quotes them ({@code format('%I')}) from
 * bound parameters, and the statement it returns is what runs. A role or login that does not exist
 * is a {@link ConnectorException} naming it (retried, then an incident: a DBA may be creating it);
 * a revoke from a login or of a role that does not exist succeeds, as nothing can be held.
 *
 * <p>A small pool of its own (HikariCP), which connects on first use: a server that is down at
 * start-up does not stop start-up; its steps fail and retry.
 */
final class PostgresRoleConnector implements Connector, Discovery, AccountControl, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresRoleConnector.class);

  /**
   * PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes: a longer name is silently cut by the
   * server.
   */
  static final int MAX_IDENTIFIER_BYTES = 63;

  /** A role the catalog may offer: a plain name, no quotes, separators or letters beyond ASCII. */
  private static final Pattern GRANTABLE_ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$.-]*");

  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final Set<String> RESERVED =
      Set.of("public", "none", "current_user", "current_role", "session_user");

  /** The most calls one step makes: the offboarding's freeze (disable, isDisabled, endSessions). */
  static final int CALLS_PER_STEP = 3;

  private final ConnectorName name;
  private final PostgresRoleSettings settings;
  private final HikariDataSource pool;

  PostgresRoleConnector(ConnectorName name, PostgresRoleSettings settings) {
    this.name = name;
    this.settings = settings;
    HikariConfig config = new HikariConfig();
    config.setPoolName("connector-" + name);
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.username());
    config.setPassword(settings.password().reveal());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(0);
    config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
    config.setValidationTimeout(
        Math.max(250, Math.min(settings.connectTimeout().toMillis(), 5_000)));
    config.setIdleTimeout(60_000);
    // a server that is down at start-up must not stop start-up: the pool connects on first use
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(true);
    config.addDataSourceProperty(
        "connectTimeout", Math.max(1, settings.connectTimeout().toSeconds()));
    config.addDataSourceProperty(
        "socketTimeout",
        settings.statementTimeout().plus(settings.sessionEndTimeout()).toSeconds() + 5);
    config.addDataSourceProperty("ApplicationName", "portcullis-" + name);
    config.setConnectionInitSql(
        "set statement_timeout = "
            + settings.statementTimeout().toMillis()
            + "; set lock_timeout = "
            + settings.statementTimeout().toMillis());
    this.pool = new HikariDataSource(config);
  }

  @Override
  public ConnectorName name() {
    return name;
  }

  /**
   * A role the catalog may offer: a plain ASCII name of at most 63 bytes, not one of PostgreSQL's
   * reserved role names. Whether it exists is the server's to say when it is granted (it may be
   * down now).
   */
  @Override
  public void validateTarget(Target target) {
    String role = target.value();
    if (!GRANTABLE_ROLE.matcher(role).matches() || role.length() > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException(
          "the target of a "
              + PostgresRoleConnectorType.TYPE
              + " resource must be a role's "
              + "name: an ASCII letter or _, then letters, digits and _ $ . -, at most "
              + MAX_IDENTIFIER_BYTES
              + " characters");
    }
    if (RESERVED.contains(role.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "'" + role + "' is a reserved role name, not a role that can be granted");
    }
  }

  @Override
  public void grant(Username username, Target target) {
    validateTarget(target);
    String login = login(username);
    String role = target.value();
    inSession(
        "grant " + role + " to " + login,
        db -> {
          requireRole(db, role, "role");
          requireRole(db, login, "login");
          if (!isMember(db, login, role)) {
            execute(db, formatted(db, "GRANT %I TO %I", role, login));
          }
          if (!isMember(db, login, role)) {
            throw new ConnectorException(
                name
                    + ": GRANT "
                    + role
                    + " TO "
                    + login
                    + " ran, but "
                    + login
                    + " is not a member");
          }
          return null;
        });
  }

  /**
   * Takes the membership away, then ends the login's sessions that may still act with the role,
   * unless the login reaches the role another way. Both halves are repeated by a retried step: a
   * revoke that committed before its sessions ended ends them on the retry.
   */
  @Override
  public void revoke(Username username, Target target) {
    String login = login(username);
    String role = identifier(target.value(), "role");
    inSession(
        "revoke " + role + " from " + login,
        db -> {
          if (!exists(db, role) || !exists(db, login)) {
            return null; // nothing can be held
          }
          if (isMember(db, login, role)) {
            execute(db, formatted(db, "REVOKE %I FROM %I", role, login));
          }
          if (isMember(db, login, role)) {
            // PostgreSQL 16 and later keep one membership per grantor: take away those another
            // grantor gave
            for (String grantor : grantors(db, login, role)) {
              try {
                execute(db, formatted(db, "REVOKE %I FROM %I GRANTED BY %I", role, login, grantor));
              } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                  throw e;
                }
                // this login lacks the grantor's privileges: said below, with every grantor left
              }
            }
          }
          if (isMember(db, login, role)) {
            throw new ConnectorException(
                name
                    + ": REVOKE "
                    + role
                    + " FROM "
                    + login
                    + " ran, but "
                    + login
                    + " is still a member, granted by "
                    + grantors(db, login, role)
                    + ", which this connector's login cannot revoke: "
                    + "give it that role's privileges, or revoke it by hand");
          }
          if (reaches(db, login, role)) {
            log.info(
                "{}: {} still reaches role {} through another membership; its sessions are left open",
                name,
                login,
                role);
            return null;
          }
          endSessionsStartedBefore(db, login, now(db));
          return null;
        });
  }

  @Override
  public boolean holds(Username username, Target target) {
    String login = login(username);
    String role = identifier(target.value(), "role");
    return inSession(
        "read the membership of " + login + " in " + role, db -> isMember(db, login, role));
  }

  /**
   * Every role the login is a direct member of, whoever granted it, as {@code pg_auth_members} has
   * it.
   */
  @Override
  public SortedSet<Target> holdings(Username username) {
    String login = login(username);
    return inSession(
        "read the roles of " + login,
        db -> {
          SortedSet<Target> found = new TreeSet<>();
          try (PreparedStatement query =
              db.prepareStatement(
                  "select r.rolname from pg_auth_members m "
                      + "join pg_roles r on r.oid = m.roleid join pg_roles l on l.oid = m.member where l.rolname = ?")) {
            query.setString(1, login);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                found.add(Target.of(rows.getString(1)));
              }
            }
          }
          return Collections.unmodifiableSortedSet(found);
        });
  }

  /**
   * {@code ALTER ROLE login NOLOGIN}, then every session of the login ends: NOLOGIN alone ends
   * none.
   */
  @Override
  public void disable(Username username) {
    String login = login(username);
    inSession(
        "disable " + login,
        db -> {
          if (canLogin(db, login)) {
            execute(db, formatted(db, "ALTER ROLE %I NOLOGIN", login));
          }
          endSessionsStartedBefore(db, login, now(db));
          return null;
        });
  }

  /**
   * {@code ALTER ROLE login LOGIN}; PostgreSQL keeps no earlier state, so the login may log in
   * again.
   */
  @Override
  public void enable(Username username) {
    String login = login(username);
    inSession(
        "enable " + login,
        db -> {
          if (!canLogin(db, login)) {
            execute(db, formatted(db, "ALTER ROLE %I LOGIN", login));
          }
          return null;
        });
  }

  @Override
  public boolean isDisabled(Username username) {
    String login = login(username);
    return inSession("read whether " + login + " may log in", db -> !canLogin(db, login));
  }

  /**
   * Ends every session of the login and reads back that none is left: PostgreSQL keeps sessions.
   */
  @Override
  public boolean endSessions(Username username) {
    String login = login(username);
    inSession(
        "end the sessions of " + login,
        db -> {
          endSessionsStartedBefore(db, login, now(db));
          return null;
        });
    return true;
  }

  /**
   * {@value #CALLS_PER_STEP} calls, the offboarding's freeze (disable, read it back, end the
   * sessions), each waiting at most for a connection, for a statement that hangs and for the
   * sessions it ended: {@code 3 x (connect-timeout + statement-timeout + session-end-timeout)}, 60
   * s with the defaults.
   */
  @Override
  public Duration worstStep() {
    return settings
        .connectTimeout()
        .plus(settings.statementTimeout())
        .plus(settings.sessionEndTimeout())
        .multipliedBy(CALLS_PER_STEP);
  }

  @Override
  public void close() {
    pool.close();
  }

  // --- the server's rules for names

  private String login(Username username) {
    return identifier(settings.settings().login(username), "login");
  }

  /**
   * Any name the server can hold; quoted by the server wherever it is used. Too long is refused:
   * the server would cut it.
   */
  private static String identifier(String value, String what) {
    if (value.isEmpty()
        || value.indexOf('\0') >= 0
        || value.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException(
          "a PostgreSQL " + what + " must be 1 to " + MAX_IDENTIFIER_BYTES + " bytes, without NUL");
    }
    return value;
  }

  // --- reads and writes, each on a connection of the pool, each statement committed on its own

  private interface Work<T> {
    T on(Connection db) throws SQLException;
  }

  private <T> T inSession(String what, Work<T> work) {
    try (Connection db = pool.getConnection()) {
      return work.on(db);
    } catch (SQLException e) {
      throw new ConnectorException(
          name
              + " could not "
              + what
              + ": "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + ")",
          e);
    }
  }

  private void requireRole(Connection db, String role, String what) throws SQLException {
    if (!exists(db, role)) {
      throw new ConnectorException(
          name
              + ": the "
              + what
              + " '"
              + role
              + "' does not exist (role names are case-sensitive; "
              + ("login".equals(what)
                  ? "create the login first"
                  : "create the role, or correct the catalog")
              + ")");
    }
  }

  private static boolean exists(Connection db, String role) throws SQLException {
    return bool(db, "select exists (select 1 from pg_roles where rolname = ?)", role);
  }

  private static boolean isMember(Connection db, String login, String role) throws SQLException {
    return bool(
        db,
        "select exists (select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid "
            + "join pg_roles l on l.oid = m.member where r.rolname = ? and l.rolname = ?)",
        role,
        login);
  }

  /**
   * Whether the login is still a member of the role by any path: directly, or through roles it is a
   * member of.
   */
  private static boolean reaches(Connection db, String login, String role) throws SQLException {
    return bool(db, "select pg_has_role(?, ?, 'MEMBER')", login, role);
  }

  private boolean canLogin(Connection db, String login) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("select rolcanlogin from pg_roles where rolname = ?")) {
      query.setString(1, login);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          throw new ConnectorException(name + ": no login named '" + login + "'");
        }
        return row.getBoolean(1);
      }
    }
  }

  private static List<String> grantors(Connection db, String login, String role)
      throws SQLException {
    List<String> grantors = new ArrayList<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "select g.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid "
                + "join pg_roles l on l.oid = m.member join pg_roles g on g.oid = m.grantor where r.rolname = ? and l.rolname = ?")) {
      query.setString(1, role);
      query.setString(2, login);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          grantors.add(rows.getString(1));
        }
      }
    }
    return grantors;
  }

  /**
   * The statement with each name quoted by the server's own rules ({@code format('%I')}), never by
   * us.
   */
  private static String formatted(Connection db, String template, String... names)
      throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("select format(?, " + "?, ".repeat(names.length - 1) + "?)")) {
      query.setString(1, template);
      for (int i = 0; i < names.length; i++) {
        query.setString(i + 2, names[i]);
      }
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }

  private static void execute(Connection db, String sql) throws SQLException {
    try (Statement statement = db.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * The server's clock, as text, so that no time zone of this JVM comes between it and the server.
   */
  private static String now(Connection db) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet row = statement.executeQuery("select clock_timestamp()::text")) {
      row.next();
      return row.getString(1);
    }
  }

  /**
   * Ends every session of the login that started before {@code cutoff} (after the change that
   * committed just before it) and reads back that none is left. A session that starts later is not
   * counted: it cannot have the role, or, after NOLOGIN, cannot start at all.
   */
  private void endSessionsStartedBefore(Connection db, String login, String cutoff)
      throws SQLException {
    try (PreparedStatement end =
        db.prepareStatement(
            "select count(*) filter (where pg_terminate_backend(pid)) "
                + "from pg_stat_activity where usename = ? and pid <> pg_backend_pid() and backend_start <= ?::timestamptz")) {
      end.setString(1, login);
      end.setString(2, cutoff);
      try (ResultSet row = end.executeQuery()) {
        row.next();
        long ended = row.getLong(1);
        if (ended > 0) {
          log.info("{}: ended {} session(s) of {}", name, ended, login);
        }
      }
    }
    // a signalled backend leaves pg_stat_activity a few milliseconds later: read back until none is
    // left, every 2 ms up to the session-end timeout (pg_terminate_backend's own wait polls every
    // 100 ms, which would be most of a revoke's time)
    long deadline = System.nanoTime() + settings.sessionEndTimeout().toNanos();
    long left = sessionsLeft(db, login, cutoff);
    while (left > 0 && System.nanoTime() < deadline) {
      pause();
      left = sessionsLeft(db, login, cutoff);
    }
    if (left > 0) {
      throw new ConnectorException(
          name
              + ": "
              + left
              + " session(s) of "
              + login
              + " are still open "
              + settings.sessionEndTimeout().toMillis()
              + " ms after pg_terminate_backend");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectorException("interrupted while waiting for sessions to end");
    }
  }

  private static long sessionsLeft(Connection db, String login, String cutoff) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "select count(*) from pg_stat_activity "
                + "where usename = ? and pid <> pg_backend_pid() and backend_start <= ?::timestamptz")) {
      query.setString(1, login);
      query.setString(2, cutoff);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static boolean bool(Connection db, String sql, String... parameters) throws SQLException {
    try (PreparedStatement query = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  @Override
  public String toString() {
    return PostgresRoleConnectorType.TYPE + " " + name;
  }
}
