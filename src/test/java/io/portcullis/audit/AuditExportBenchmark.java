package io.portcullis.audit;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: {@code ./mvnw -Pbench test -Dtest=AuditExportBenchmark} prints how fast the trail is
 * appended to, exported over HTTP and verified, and how soon an export's first bytes arrive (it
 * streams: they come long before the last row is read), for a trail much larger than the tests use.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class AuditExportBenchmark {

  static final int EVENTS = 200_000;

  @Autowired TestRestTemplate rest;
  @Autowired AuditTrail trail;
  @Autowired AuditVerifier verifier;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void exportAndVerifyALargeTrail() {
    AuditTables.reset(jdbc);
    TransactionTemplate tx = new TransactionTemplate(transactions);
    long start = System.nanoTime();
    for (int done = 0; done < EVENTS; done += 10_000) {
      int from = done;
      tx.executeWithoutResult(
          status -> {
            for (int i = from; i < from + 10_000; i++) {
              trail.record(
                  AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                      .subject("user-" + (i % 500))
                      .resource("staging-db-admin")
                      .request("request-" + i, "pi-" + i)
                      .detail("reason", "the time was up"));
            }
          });
    }
    report("append", EVENTS, start);

    for (int run = 1; run <= 3; run++) {
      long exportStart = System.nanoTime();
      long[] firstByteNanos = {0};
      long bytes =
          rest.withBasicAuth("frank", "frank-demo")
              .getRestTemplate()
              .execute(
                  "/api/audit/export?format=jsonl",
                  HttpMethod.GET,
                  null,
                  response -> drain(response.getBody(), exportStart, firstByteNanos));
      // a server that read the whole range before writing would send its first byte only near the
      // end
      report(
          "export run "
              + run
              + " ("
              + bytes / 1_000_000
              + " MB, first bytes after "
              + firstByteNanos[0] / 1_000_000
              + " ms)",
          EVENTS,
          exportStart);
    }
    long verifyStart = System.nanoTime();
    AuditVerification result = verifier.verify();
    report("verify (valid " + result.valid() + ")", EVENTS, verifyStart);
  }

  private static long drain(InputStream in, long startNanos, long[] firstByteNanos)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      if (total == 0) {
        firstByteNanos[0] = System.nanoTime() - startNanos;
      }
      total += n;
    }
    return total;
  }

  private static void report(String what, int events, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(
        "audit %s: %d events in %.2f s = %.0f events/s%n", what, events, seconds, events / seconds);
  }
}
