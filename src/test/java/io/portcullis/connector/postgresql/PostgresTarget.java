package io.portcullis.connector.postgresql;

import io.portcullis.support.TcpProxy;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port (job executor off, as in every process test) with a
 * postgresql-role instance {@code app-db} beside ldap-group, on a target database of the JVM's
 * PostgreSQL reached through a proxy that a test can cut ({@link Initializer#proxy()}). The catalog
 * is the test profile's with two entries of {@code app-db} on the same role ({@code
 * application-pg-target.yml}). One context for every test class that wears this annotation.
 */
@java.lang.annotation.Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("postgres")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test", "pg-target"})
@ContextConfiguration(initializers = PostgresTarget.Initializer.class)
public @interface PostgresTarget {

  final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static TargetDatabase db;
    private static TcpProxy proxy;

    /**
     * The target database: roles, logins ("alice" logs in as {@code alice<suffix>}) and the
     * connector's own login.
     */
    public static TargetDatabase db() {
      return database();
    }

    /** The proxy between the application and the target database. */
    public static TcpProxy proxy() {
      database();
      return proxy;
    }

    static synchronized TargetDatabase database() {
      if (db == null) {
        db = new TargetDatabase();
        for (String person : new String[] {"alice", "erin", "lena", "mia"}) {
          db.createLogin(person);
        }
        TargetDatabase made = db;
        // roles are the server's, not the database's: dropped when the JVM ends (best effort, after
        // the contexts)
        Runtime.getRuntime().addShutdownHook(new Thread(made::dropAll, "drop-pg-target-roles"));
        URI server = URI.create(db.url.substring("jdbc:".length()));
        proxy = new TcpProxy(server.getHost(), server.getPort());
      }
      return db;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
      TargetDatabase target = database();
      String database = URI.create(target.url.substring("jdbc:".length())).getPath();
      TestPropertyValues.of(
              "PG_TARGET_PASSWORD=" + TargetDatabase.PASSWORD,
              "portcullis.connectors.app-db.type=postgresql-role",
              "portcullis.connectors.app-db.url=jdbc:postgresql://127.0.0.1:"
                  + proxy.port()
                  + database,
              "portcullis.connectors.app-db.username=" + target.connectorLogin,
              "portcullis.connectors.app-db.password=${PG_TARGET_PASSWORD}",
              "portcullis.connectors.app-db.login={username}" + target.suffix,
              "portcullis.connectors.app-db.connect-timeout=300ms",
              "portcullis.test.pg-target.role=" + target.readonly,
              "portcullis.test.pg-target.writer=" + target.writer)
          .applyTo(context);
    }
  }
}
