package io.portcullis.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a range of the trail as it is streamed from the database, a row at a time, so an export of
 * any size needs little memory.
 *
 * <p>JSONL is the verifiable format (see docs/audit.md): a header line with the hash that the range
 * starts from and the public key, one line per event with its {@code prevHash} and {@code hash}
 * (not its MAC, which nobody outside can check), then the checkpoints inside the range (and the one
 * just before it, which signs the start hash). Every line is canonical JSON. {@code
 * tools/VerifyAuditExport.java} checks it with nothing but a JDK. CSV is for spreadsheets: the same
 * events, no checkpoints, and not verifiable.
 */
@Service
public class AuditExport {

  static final String FORMAT = "portcullis-audit-export/1";
  static final String ALGORITHM = "SHA-256 chain over canonical JSON lines, Ed25519 checkpoints";
  private static final int FETCH_SIZE = 1000;
  private static final List<String> CSV_COLUMNS =
      List.of(
          "seq",
          "time",
          "actor",
          "action",
          "subject",
          "resource",
          "requestId",
          "processInstanceId",
          "details",
          "prevHash",
          "hash");

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;
  private final AuditKeys keys;

  AuditExport(DataSource dataSource, PlatformTransactionManager transactions, AuditKeys keys) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.jdbc.setFetchSize(FETCH_SIZE);
    // PostgreSQL streams a result with a fetch size only inside a transaction; otherwise it loads
    // it all
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
    this.keys = keys;
  }

  /**
   * The events that an export of {@code [fromSeq, toSeq]} holds: clipped to what the trail has when
   * it is asked, so events appended while it streams are left for the next export.
   *
   * @param fromSeq the first seq, or null for the oldest event
   * @param toSeq the last seq, or null for the newest event
   */
  public Range range(Long fromSeq, Long toSeq) {
    return readOnly.execute(
        status -> {
          long head =
              jdbc.queryForObject("select last_seq from audit_head where id = 1", Long.class);
          Long oldest = jdbc.queryForObject("select min(seq) from audit_event", Long.class);
          long from = Math.max(fromSeq == null ? 1 : fromSeq, oldest == null ? 1 : oldest);
          long to = Math.min(toSeq == null ? head : toSeq, head);
          if (from > to) {
            return new Range(from, to, null);
          }
          String startHash =
              jdbc.queryForObject(
                  "select prev_hash from audit_event where seq = ?", String.class, from);
          return new Range(from, to, startHash);
        });
  }

  public void writeJsonl(Range range, OutputStream out) {
    Writer writer = writer(out);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("type", "header");
    header.put("format", FORMAT);
    header.put("algorithm", ALGORITHM);
    header.put("fromSeq", range.fromSeq());
    header.put("toSeq", range.toSeq());
    header.put("genesisHash", AuditChain.GENESIS_HASH);
    header.put("startHash", range.startHash());
    header.put("publicKey", keys.publicKeyBase64());
    header.put("keyId", keys.keyId());
    header.put(
        "exportedAt",
        AuditChain.formatTime(AuditChain.truncate(ClockUtil.getCurrentTime().toInstant())));
    line(writer, CanonicalJson.write(header));
    if (!range.isEmpty()) {
      readOnly.executeWithoutResult(
          status -> {
            jdbc.query(
                "select "
                    + AuditRows.READ_COLUMNS
                    + " from audit_event where seq between ? and ? order by seq",
                (ResultSet rs) -> line(writer, eventLine(AuditRows.event(rs, 0))),
                range.fromSeq(),
                range.toSeq());
            // the checkpoint just before the range, when there is one, signs the hash that the
            // range starts from
            jdbc.query(
                "select "
                    + AuditRows.CHECKPOINT_COLUMNS
                    + " from audit_checkpoint where seq between ? and ? order by seq",
                (ResultSet rs) -> line(writer, checkpointLine(AuditRows.checkpoint(rs, 0))),
                range.fromSeq() - 1,
                range.toSeq());
          });
    }
    flush(writer);
  }

  public void writeCsv(Range range, OutputStream out) {
    Writer writer = writer(out);
    csvRow(writer, CSV_COLUMNS);
    if (!range.isEmpty()) {
      readOnly.executeWithoutResult(
          status ->
              jdbc.query(
                  "select "
                      + AuditRows.READ_COLUMNS
                      + " from audit_event where seq between ? and ? order by seq",
                  (ResultSet rs) -> {
                    AuditEvent e = AuditRows.event(rs, 0);
                    csvRow(
                        writer,
                        Arrays.asList(
                            Long.toString(e.seq()),
                            AuditChain.formatTime(e.time()),
                            e.actor(),
                            e.action(),
                            e.subject(),
                            e.resource(),
                            e.requestId(),
                            e.processInstanceId(),
                            e.details(),
                            e.prevHash(),
                            e.hash()));
                  },
                  range.fromSeq(),
                  range.toSeq()));
    }
    flush(writer);
  }

  static String eventLine(AuditEvent e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "event");
    line.put("seq", e.seq());
    line.put("time", AuditChain.formatTime(e.time()));
    line.put("actor", e.actor());
    line.put("action", e.action());
    line.put("subject", e.subject());
    line.put("resource", e.resource());
    line.put("requestId", e.requestId());
    line.put("processInstanceId", e.processInstanceId());
    line.put("details", new CanonicalJson.Raw(e.details()));
    line.put("prevHash", e.prevHash());
    line.put("hash", e.hash());
    return CanonicalJson.write(line);
  }

  static String checkpointLine(AuditCheckpoint c) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "checkpoint");
    line.put("seq", c.seq());
    line.put("hash", c.hash());
    line.put("signedAt", AuditChain.formatTime(c.signedAt()));
    line.put("keyId", c.keyId());
    line.put("signature", c.signature());
    return CanonicalJson.write(line);
  }

  /**
   * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A field that
   * a spreadsheet would run as a formula (starting with = + - @) gets a leading apostrophe; the
   * JSONL export keeps every value as it was recorded.
   */
  static String csvField(String value) {
    if (value == null) {
      return "";
    }
    String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  private static void csvRow(Writer writer, List<String> fields) {
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        row.append(',');
      }
      row.append(csvField(fields.get(i)));
    }
    try {
      writer.write(row.append("\r\n").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Writer writer(OutputStream out) {
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
  }

  private static void line(Writer writer, String json) {
    try {
      writer.write(json);
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flush(Writer writer) {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The seqs an export holds, and the hash that its first event follows; empty when from > to. */
  public record Range(long fromSeq, long toSeq, String startHash) {
    public boolean isEmpty() {
      return fromSeq > toSeq;
    }

    public long size() {
      return isEmpty() ? 0 : toSeq - fromSeq + 1;
    }
  }
}
