package io.portcullis.credential;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorContractTest;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The {@code api-key} connector passes the shared connector contract, without a Spring context, on
 * an in-memory H2 with the credential tables of its migration (V11): its "system" is the slot
 * table.
 */
class ApiKeyConnectorTest extends ConnectorContractTest {

  static final AtomicInteger DATABASES = new AtomicInteger();
  static final AtomicInteger NEWCOMERS = new AtomicInteger();

  JdbcTemplate jdbc;
  ApiKeyConnector raw;

  /**
   * Fresh tables for each test (a new instance each), made when the contract's own set-up first
   * asks for the connector.
   */
  private void freshTables() throws Exception {
    DriverManagerDataSource db =
        new DriverManagerDataSource(
            "jdbc:h2:mem:api-key-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    jdbc = new JdbcTemplate(db);
    String migration =
        Files.readString(Path.of("src/main/resources/db/migration/V11__credentials.sql"));
    for (String statement : migration.replaceAll("(?m)^--.*$", "").split(";")) {
      if (!statement.isBlank()) {
        jdbc.execute(statement);
      }
    }
    // no key is ever issued here, so no revoke has a key to record in the trail
    raw =
        new ApiKeyConnector(
            ConnectorName.of("ci-api-key"),
            new CredentialStore(new NamedParameterJdbcTemplate(db)),
            new CredentialEvents(null));
  }

  @Override
  protected Connector rawConnector() {
    if (raw == null) {
      try {
        freshTables();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return raw;
  }

  @Override
  protected Target target() {
    return Target.of("ci:deploy");
  }

  @Override
  protected Target otherTarget() {
    return Target.of("ci:read");
  }

  @Override
  protected Username person() {
    return Username.of("alice");
  }

  @Override
  protected Username otherPerson() {
    return Username.of("erin");
  }

  @Override
  protected boolean systemShowsHeld(Username username, Target target) {
    return jdbc.queryForObject(
            "select count(*) from credential_slot where connector = 'ci-api-key' and holder = ? and target = ? "
                + "and closed_at is null",
            Integer.class,
            username.value(),
            target.value())
        == 1;
  }

  @Override
  protected void grantByHand(Username username, Target target) {
    if (jdbc.update(
            "update credential_slot set closed_at = null where connector = 'ci-api-key' and holder = ? and target = ?",
            username.value(),
            target.value())
        == 0) {
      jdbc.update(
          "insert into credential_slot (connector, holder, target, opened_at) values ('ci-api-key', ?, ?, current_timestamp)",
          username.value(),
          target.value());
    }
  }

  @Override
  protected Username newPersonWithNothing() {
    return Username.of("newcomer" + NEWCOMERS.incrementAndGet());
  }

  @Override
  protected Object systemState() {
    return List.of(
        jdbc.queryForList("select * from credential_slot order by connector, holder, target")
            .toString(),
        jdbc.queryForList("select * from credential order by id").toString(),
        jdbc.queryForList("select * from credential_account_disabled order by connector, holder")
            .toString());
  }

  /** Introspection accepts a holder's keys unless their account in the instance is disabled. */
  @Override
  protected boolean canAuthenticate(Username username) {
    return jdbc.queryForObject(
            "select count(*) from credential_account_disabled where connector = 'ci-api-key' and holder = ?",
            Integer.class,
            username.value())
        == 0;
  }

  @Override
  protected boolean everyPersonHasAnAccount() {
    return true;
  }

  @Override
  protected Stream<String> hostileTargets() {
    return Stream.concat(
        super.hostileTargets(),
        Stream.of("ci deploy", "ci:deploy\n", "ci;deploy", "'; drop table credential; --"));
  }
}
