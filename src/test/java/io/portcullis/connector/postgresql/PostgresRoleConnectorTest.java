package io.portcullis.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorContractTest;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The postgresql-role connector against a real PostgreSQL (the suite's embedded one; Debian's with
 * {@code -Ppostgres}), without Spring: the shared {@link ConnectorContractTest}, then what is
 * PostgreSQL's own: sessions ended at revoke and at disable, hostile names, missing roles, a server
 * that is down. The connector runs as a login with the least privilege the README names; every
 * assertion reads the server back as its administrator.
 */
@Tag("postgres")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresRoleConnectorTest extends ConnectorContractTest {

  static TargetDatabase db;
  static PostgresRoleConnector raw;
  static String alice;
  static String bob;
  static int people;

  @BeforeAll
  static void targetDatabase() {
    db = new TargetDatabase();
    alice = db.createLogin("alice");
    bob = db.createLogin("bob");
    raw = (PostgresRoleConnector) db.connector("app-db", db.settings());
  }

  @AfterAll
  static void dropRoles() {
    raw.close();
    db.dropAll();
  }

  @BeforeEach
  void nothingHeldEveryoneMayLogIn() {
    for (String login : new String[] {alice, bob}) {
      db.admin("alter role " + login + " login");
      db.endSessions(login);
      db.revokeEverything(login);
    }
  }

  @Override
  protected Connector rawConnector() {
    return raw;
  }

  @Override
  protected Target target() {
    return Target.of(db.readonly);
  }

  @Override
  protected Target otherTarget() {
    return Target.of(db.writer);
  }

  @Override
  protected Username person() {
    return Username.of(alice);
  }

  @Override
  protected Username otherPerson() {
    return Username.of(bob);
  }

  @Override
  protected boolean systemShowsHeld(Username username, Target target) {
    return (Boolean)
        db.adminQuery(
            "select exists (select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid"
                + " join pg_roles l on l.oid = m.member where r.rolname = '"
                + target
                + "' and l.rolname = '"
                + username
                + "')");
  }

  /**
   * As an administrator with the connector's privileges would (or a grant of the connector's own
   * that took after its caller gave up). A superuser's grant is another matter on PostgreSQL 16 and
   * later: {@link #aMembershipASuperuserGrantedIsRevokedOrRefusedNamingTheGrantor}.
   */
  @Override
  protected void grantByHand(Username username, Target target) {
    db.grantAsConnector(target.value(), username.value());
  }

  @Override
  protected Username newPersonWithNothing() {
    return Username.of(db.createLogin("person" + ++people));
  }

  @Override
  protected Object systemState() {
    return db.state();
  }

  @Override
  protected boolean canAuthenticate(Username username) {
    try (Connection ignored = db.connectAs(username.value())) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  protected Stream<String> hostileTargets() {
    return Stream.concat(
        super.hostileTargets(),
        Stream.of(
            "x\"; drop role " + db.writer + "; --",
            "app'readonly",
            "app;readonly",
            "\"" + db.readonly + "\"",
            "rôle_lecture",
            "app_readonly\u202e",
            "a".repeat(64),
            "public",
            "PUBLIC",
            "current_user",
            "1role"));
  }

  // --- sessions: what a revoke must end, and what it must leave

  @Test
  void aRevokeEndsTheSessionThatSetTheRoleAndANewConnectionNoLongerGetsIt() throws Exception {
    connector.grant(person(), target());
    Connection session = sessionWithTheRole(alice);

    connector.revoke(person(), target());

    assertThat(catchThrowable(() -> read(session)))
        .as("the session that had set the role")
        .isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(alice)).isZero();
    assertThatThrownBy(() -> sessionWithTheRole(alice))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied to set role");
    session.close();
  }

  @Test
  void aStandingMembershipThroughAnotherRoleKeepsTheSessionOpen() throws Exception {
    connector.grant(person(), target());
    db.admin(
        "grant " + db.team + " to "
            + alice); // team is a member of readonly: a second path to the role
    try (Connection session = sessionWithTheRole(alice)) {

      connector.revoke(person(), target());

      assertThat(systemShowsHeld(person(), target())).as("the direct membership is gone").isFalse();
      assertThat(read(session))
          .as("the session still reaches the role through the team")
          .isEqualTo(1);
      assertThat(db.sessionsOf(alice)).isEqualTo(1);
    }
  }

  @Test
  void aRetriedRevokeEndsTheSessionsThatTheFirstAttemptLeft() throws Exception {
    // the first attempt's REVOKE committed, then it failed before ending the sessions (a crash, a
    // timeout)
    grantByHand(person(), target());
    Connection session = sessionWithTheRole(alice);
    db.revokeEverything(alice);
    assertThat(read(session)).as("REVOKE alone leaves the session with the role").isEqualTo(1);

    connector.revoke(person(), target());

    assertThat(catchThrowable(() -> read(session))).isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(alice)).isZero();
    session.close();
  }

  @Test
  void disablingEndsTheSessionsAndRefusesNewOnes() throws Exception {
    Connection session = db.connectAs(alice);
    AccountControl control =
        connectors.named(rawConnector().name(), AccountControl.class).orElseThrow();

    control.disable(person());

    assertThat(catchThrowable(() -> session.createStatement().execute("select 1")))
        .isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(alice)).isZero();
    assertThat(canAuthenticate(person())).isFalse();
    session.close();
  }

  /**
   * A session of the login that took the role: {@code SET ROLE}, then a read only the role may
   * make.
   */
  private static Connection sessionWithTheRole(String login) throws SQLException {
    Connection session = db.connectAs(login);
    try (Statement s = session.createStatement()) {
      s.execute("set role " + db.readonly);
    }
    assertThat(read(session)).isEqualTo(1);
    return session;
  }

  private static int read(Connection session) throws SQLException {
    try (Statement s = session.createStatement();
        ResultSet row = s.executeQuery("select id from readable")) {
      row.next();
      return row.getInt(1);
    }
  }

  // --- names: refused, or quoted by the server

  @ParameterizedTest(name = "role {0}")
  @ValueSource(
      strings = {"evil\"; drop role %s; --", "rôle lecture", "Mixed Case", "semi;colon", "it's"})
  void aRoleWithAHostileNameThatExistsIsQuotedByTheServerAndNothingElseChanges(String pattern) {
    String role = db.trackRole(pattern.formatted(db.writer) + db.suffix);
    String quoted = "\"" + role.replace("\"", "\"\"") + "\"";
    db.admin(
        "create role " + quoted,
        "grant " + quoted + " to " + db.connectorLogin + " with admin option");
    db.grantAsConnector(role, alice);
    Object before = db.state();

    assertThatThrownBy(() -> connector.validateTarget(Target.of(role)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(connector.holds(person(), Target.of(role))).isTrue();
    assertThat(
            connectors
                .named(rawConnector().name(), Discovery.class)
                .orElseThrow()
                .holdings(person()))
        .contains(Target.of(role));
    connector.revoke(person(), Target.of(role));

    assertThat(connector.holds(person(), Target.of(role))).isFalse();
    assertThat(db.state())
        .isEqualTo(before.toString().replace("member " + alice + " of " + role + "\n", ""));
  }

  @Test
  void aMembershipASuperuserGrantedIsRevokedOrRefusedNamingTheGrantor() {
    db.admin("grant " + db.readonly + " to " + alice);
    int version =
        ((Number) db.adminQuery("select current_setting('server_version_num')::int")).intValue();

    Throwable revoke = catchThrowable(() -> connector.revoke(person(), target()));

    if (version < 160000) {
      // before 16 a membership is one, whoever granted it: ADMIN OPTION takes it away
      assertThat(revoke).isNull();
      assertThat(systemShowsHeld(person(), target())).isFalse();
    } else {
      // from 16 each grantor's membership is its own: only a role with the grantor's privileges may
      // take it away
      assertThat(revoke)
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("is still a member")
          .hasMessageContaining("granted by [" + db.server.user() + "]");
      assertThat(systemShowsHeld(person(), target())).isTrue();
    }
  }

  @Test
  void aNameTheServerWouldCutIsRefusedBeforeAnyCall() {
    Object before = db.state();
    Target long64 = Target.of(db.readonly + "x".repeat(64 - db.readonly.length()));

    assertThatThrownBy(() -> connector.revoke(person(), long64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> connector.holds(person(), long64))
        .isInstanceOf(IllegalArgumentException.class);
    Connector longLogins =
        db.connector("long-logins", withSetting("login", "{username}" + "x".repeat(60)));
    assertThatThrownBy(() -> longLogins.grant(person(), target()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(db.state()).isEqualTo(before);
  }

  // --- what does not exist, and a server that is down

  @Test
  void grantingARoleOrToALoginThatDoesNotExistFailsNamingItAndChangesNothing() {
    Object before = db.state();

    assertThatThrownBy(() -> connector.grant(person(), Target.of("no_such_role" + db.suffix)))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("the role 'no_such_role" + db.suffix + "' does not exist");
    assertThatThrownBy(() -> connector.grant(Username.of("nobody" + db.suffix), target()))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("the login 'nobody" + db.suffix + "' does not exist");
    assertThatCode(() -> connector.revoke(Username.of("nobody" + db.suffix), target()))
        .doesNotThrowAnyException();
    assertThat(db.state()).isEqualTo(before);
  }

  @Test
  void theLoginTemplateMapsAPersonToTheirLogin() throws Exception {
    Connector suffixed = db.connector("suffixed", withSetting("login", "{username}" + db.suffix));
    try {
      suffixed.grant(Username.of("alice"), target());
      assertThat(systemShowsHeld(person(), target())).isTrue();
      suffixed.revoke(Username.of("alice"), target());
      assertThat(systemShowsHeld(person(), target())).isFalse();
    } finally {
      ((AutoCloseable) suffixed).close();
    }
  }

  @Test
  void aServerThatIsDownIsAFailureThatMayPassNotAStartUpFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> settings =
        withSetting("url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/app");
    Connector down = db.connector("down-db", settings); // built without reaching the server
    try {
      assertThatThrownBy(() -> down.grant(person(), target()))
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("down-db could not grant")
          .hasMessageNotContaining(TargetDatabase.PASSWORD);
      assertThatThrownBy(() -> down.revoke(person(), target()))
          .isInstanceOf(ConnectorException.class);
    } finally {
      ((AutoCloseable) down).close();
    }
  }

  private static Map<String, String> withSetting(String key, String value) {
    Map<String, String> settings = db.settings();
    settings.put(key, value);
    return settings;
  }
}
