package io.portcullis.jobs;

import io.portcullis.PortcullisApplication;
import io.portcullis.support.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * For tests of what a start does to a database that an earlier start (or version) left: the whole
 * application started more than once on one new database, H2 in memory here, PostgreSQL in the
 * twins.
 */
abstract class StartsOnOneDatabase {

  /** A new, empty database that outlives the application contexts started on it. */
  record Database(String url, String user, String password) {}

  Database newDatabase() {
    return new Database("jdbc:h2:mem:starts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  static Database onPostgres() {
    PostgresServer postgres = PostgresServer.get();
    return new Database(postgres.createDatabase(), postgres.user(), postgres.password());
  }

  static ConfigurableApplicationContext start(Database database, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--spring.datasource.hikari.minimum-idle=1",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                // each start is a restart of one node, under its name; with the job executor off
                // nothing renews or
                // gives up its claim to the name, so that a claim of 10 s (the default) would hold
                // the next start
                // up to 10 s (70 s of the suite in all): a claim of 1 s has lapsed by the time the
                // next one starts
                "--portcullis.jobs.node-lease=PT1S"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles("demo", "test")
        .run(args.toArray(String[]::new));
  }
}
