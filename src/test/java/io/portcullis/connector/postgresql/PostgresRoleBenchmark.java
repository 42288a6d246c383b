package io.portcullis.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.connector.Connector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The time of one grant and one revoke of the postgresql-role connector (median of 20, after 3 to
 * warm up), each revoke with a session of the login that ran {@code SET ROLE}, and the sessions
 * left after it. On the embedded PostgreSQL by default; with {@code
 * -Dportcullis.test.postgres=external} and PG* on another server ({@code ./mvnw -Pbench test
 * -Dtest=PostgresRoleBenchmark}).
 */
@Tag("benchmark")
class PostgresRoleBenchmark {

  @Test
  void grantAndRevokeWithASessionToEnd() throws Exception {
    TargetDatabase db = new TargetDatabase();
    String login = db.createLogin("bench");
    Connector connector = db.connector("app-db", db.settings());
    Username person = Username.of(login);
    Target role = Target.of(db.readonly);
    List<Long> grants = new ArrayList<>();
    List<Long> revokes = new ArrayList<>();
    long sessionsLeft = 0;
    try {
      for (int i = 0; i < 23; i++) {
        long start = System.nanoTime();
        connector.grant(person, role);
        long granted = System.nanoTime() - start;
        Connection session = db.connectAs(login);
        try (Statement s = session.createStatement()) {
          s.execute("set role " + db.readonly);
          s.executeQuery("select id from readable").close();
        }
        start = System.nanoTime();
        connector.revoke(person, role);
        long revoked = System.nanoTime() - start;
        sessionsLeft += db.sessionsOf(login);
        session.close();
        if (i >= 3) {
          grants.add(granted);
          revokes.add(revoked);
        }
      }
    } finally {
      ((AutoCloseable) connector).close();
      db.dropAll();
    }
    System.out.printf(
        "postgresql-role on %s: grant median %.1f ms, revoke (ending one SET ROLE session) median %.1f ms, "
            + "sessions left after %d revokes: %d%n",
        db.server, median(grants), median(revokes), revokes.size(), sessionsLeft);
    assertThat(sessionsLeft).isZero();
  }

  private static double median(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int n = sorted.size();
    return (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0)
        / 1_000_000.0;
  }
}
