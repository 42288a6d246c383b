package io.portcullis.connector.postgresql;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorSettings;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.support.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A target database for the postgresql-role connector on the JVM's {@link PostgresServer}
 * (embedded, or Debian's with {@code -Ppostgres}): a database with a table that only {@code
 * readonly} may read, the roles a catalog grants, people's logins, and the connector's own login
 * with the least privilege the README names (CREATEROLE, ADMIN OPTION on the granted roles and the
 * people's logins, pg_signal_backend). Roles are the server's: each name carries this JVM's number,
 * and {@link #dropAll()} drops them.
 */
public final class TargetDatabase {

  static final String PASSWORD = "test-only-password";

  final PostgresServer server = PostgresServer.get();
  final String suffix = "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
  final String url;
  final String readonly = "app_readonly" + suffix;
  final String writer = "app_writer" + suffix;
  final String team = "app_team" + suffix;
  final String connectorLogin = "portcullis_conn" + suffix;
  private final List<String> roles = new ArrayList<>();

  TargetDatabase() {
    url = server.createDatabase();
    admin("create table readable (id int)", "insert into readable values (1)");
    createRole(readonly, false);
    createRole(writer, false);
    createRole(team, false);
    admin("grant select on readable to " + readonly, "grant " + readonly + " to " + team);
    createRole(connectorLogin, true);
    admin(
        "alter role " + connectorLogin + " createrole",
        "grant pg_signal_backend to " + connectorLogin,
        "grant " + readonly + ", " + writer + " to " + connectorLogin + " with admin option");
  }

  /**
   * A login that may connect to the database, of which the connector's login may change the LOGIN
   * attribute.
   */
  String createLogin(String prefix) {
    String login = prefix + suffix;
    createRole(login, true);
    admin("grant " + login + " to " + connectorLogin + " with admin option");
    return login;
  }

  private void createRole(String name, boolean login) {
    admin("create role " + name + (login ? " login password '" + PASSWORD + "'" : " nologin"));
    roles.add(name);
  }

  /** The instance's settings, as portcullis.connectors.<name>.* would bind them. */
  Map<String, String> settings() {
    Map<String, String> values = new HashMap<>();
    values.put("type", PostgresRoleConnectorType.TYPE);
    values.put("url", url);
    values.put("username", connectorLogin);
    values.put("password", PASSWORD);
    values.put("connect-timeout", "2s");
    return values;
  }

  Connector connector(String name, Map<String, String> settings) {
    return new PostgresRoleConnectorType()
        .create(ConnectorName.of(name), ConnectorSettings.of(ConnectorName.of(name), settings));
  }

  Connection connectAs(String login) throws SQLException {
    return DriverManager.getConnection(url, login, PASSWORD);
  }

  void admin(String... statements) {
    try (Connection db = DriverManager.getConnection(url, server.user(), server.password());
        Statement s = db.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query run as the server's administrator. */
  Object adminQuery(String sql) {
    try (Connection db = DriverManager.getConnection(url, server.user(), server.password());
        Statement s = db.createStatement();
        ResultSet row = s.executeQuery(sql)) {
      return row.next() ? row.getObject(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The server's roles and memberships, whole: equal exactly when no role or membership changed.
   */
  Object state() {
    return adminQuery(
        "select string_agg(line, E'\\n' order by line) from ("
            + " select 'role ' || rolname || ' login=' || rolcanlogin as line from pg_roles"
            + " union all select 'member ' || l.rolname || ' of ' || r.rolname from pg_auth_members m"
            + "   join pg_roles r on r.oid = m.roleid join pg_roles l on l.oid = m.member) lines");
  }

  /**
   * Takes every membership of the login away, whoever granted it: PostgreSQL 16 and later keep one
   * per grantor, and a superuser's plain REVOKE takes only the superuser's own.
   */
  void revokeEverything(String login) {
    admin(
        "do $$ declare m record; begin for m in select r.rolname as role, g.rolname as grantor from pg_auth_members a"
            + " join pg_roles r on r.oid = a.roleid join pg_roles l on l.oid = a.member join pg_roles g on g.oid = a.grantor"
            + " where l.rolname = '"
            + login
            + "' loop"
            + " if current_setting('server_version_num')::int >= 160000 then"
            + "   execute format('revoke %I from %I granted by %I', m.role, '"
            + login
            + "', m.grantor);"
            + " else execute format('revoke %I from %I', m.role, '"
            + login
            + "'); end if;"
            + " end loop; end $$");
  }

  /** Grants as the connector's own login would: what a grant whose answer was lost left behind. */
  void grantAsConnector(String role, String login) {
    try (Connection db = DriverManager.getConnection(url, connectorLogin, PASSWORD);
        Statement s = db.createStatement()) {
      s.execute("grant \"" + role.replace("\"", "\"\"") + "\" to " + login);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  boolean isMember(String login, String role) {
    return (Boolean)
        adminQuery(
            "select exists (select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid"
                + " join pg_roles l on l.oid = m.member where r.rolname = '"
                + role
                + "' and l.rolname = '"
                + login
                + "')");
  }

  /**
   * Ends the login's sessions, as the connector's login (which may signal them: the server's user
   * may not, on an external server).
   */
  void endSessions(String login) {
    try (Connection db = DriverManager.getConnection(url, connectorLogin, PASSWORD);
        Statement s = db.createStatement()) {
      s.execute(
          "select pg_terminate_backend(pid, 5000) from pg_stat_activity where usename = '"
              + login
              + "'");
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  long sessionsOf(String login) {
    return ((Number)
            adminQuery("select count(*) from pg_stat_activity where usename = '" + login + "'"))
        .longValue();
  }

  void dropAll() {
    try {
      admin("drop table if exists readable");
    } catch (RuntimeException e) {
      // the database is gone already: so are the privileges on its table
    }
    for (int i = roles.size() - 1; i >= 0; i--) {
      try {
        admin("drop role if exists \"" + roles.get(i).replace("\"", "\"\"") + "\"");
      } catch (RuntimeException e) {
        // best effort: the server is a test's
      }
    }
  }

  String trackRole(String name) {
    roles.add(name);
    return name;
  }
}
