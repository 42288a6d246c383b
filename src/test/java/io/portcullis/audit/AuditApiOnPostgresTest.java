package io.portcullis.audit;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.portcullis.support.OnPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every test of {@link AuditApiTest}, on PostgreSQL. */
@OnPostgres
class AuditApiOnPostgresTest extends AuditApiTest {

  /**
   * 20,000 events streamed: on the embedded PostgreSQL in every verify; skipped on an external server
   * ({@code -Ppostgres}), where it repeats the same streaming over the same driver at twice the cost.
   */
  @Test
  @Override
  void aLargeExportStreamsAtAMeasuredRate(@TempDir Path dir) throws Exception {
    assumeFalse("external".equals(System.getProperty("portcullis.test.postgres")), "run on the embedded PostgreSQL only");
    super.aLargeExportStreamsAtAMeasuredRate(dir);
  }
}
