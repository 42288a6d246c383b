package io.portcullis.connector.postgresql;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorSettings;
import io.portcullis.connector.ConnectorType;
import io.portcullis.connector.Secret;
import io.portcullis.kernel.ConnectorName;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * {@code type: postgresql-role}: membership of a PostgreSQL role ({@link PostgresRoleConnector}).
 * Settings of an instance: {@code url} (a {@code jdbc:postgresql:} URL), {@code username}, {@code
 * password} (from the environment), and optionally {@code login} (the template of a person's
 * login), {@code pool.size} (default 2), {@code connect-timeout} (default 5s), {@code
 * statement-timeout} (default 10s) and {@code session-end-timeout} (how long a revoke waits for the
 * sessions it ends, default 5s).
 */
@Component
public class PostgresRoleConnectorType implements ConnectorType {

  public static final String TYPE = "postgresql-role";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Connector create(ConnectorName instance, ConnectorSettings settings) {
    return new PostgresRoleConnector(instance, PostgresRoleSettings.from(settings));
  }

  /** What an instance is built from; checked at start-up, without reaching the server. */
  record PostgresRoleSettings(
      String url,
      String username,
      Secret password,
      int poolSize,
      Duration connectTimeout,
      Duration statementTimeout,
      Duration sessionEndTimeout,
      ConnectorSettings settings) {

    static PostgresRoleSettings from(ConnectorSettings settings) {
      String url = settings.required("url");
      if (!url.startsWith("jdbc:postgresql://")) {
        throw settings.problem("url", "must be a jdbc:postgresql:// URL");
      }
      if (url.contains("password=")) {
        throw settings.problem(
            "url", "must not carry a password: set password from the environment");
      }
      return new PostgresRoleSettings(
          url,
          settings.required("username"),
          settings.secret("password"),
          settings.integer("pool.size", 2, 1, 20),
          settings.duration("connect-timeout", Duration.ofSeconds(5)),
          settings.duration("statement-timeout", Duration.ofSeconds(10)),
          settings.duration("session-end-timeout", Duration.ofSeconds(5)),
          settings);
    }
  }
}
