import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Verifies a Portcullis audit export (JSONL) offline, with nothing but a JDK 17:
 *
 * <pre>
 *   java tools/VerifyAuditExport.java export.jsonl public-key.b64
 *   java tools/VerifyAuditExport.java export.jsonl public-key.b64 --log portcullis-audit.log
 * </pre>
 *
 * It recomputes the hash chain from the header's start hash, event by event, and checks every
 * checkpoint's Ed25519 signature with the public key given on the command line (fetch it once, from
 * GET /api/audit/public-key or from whoever runs Portcullis, and keep it: the key inside the export is
 * not trusted). Prints {@code OK: N events, chain head <hash>, K checkpoints verified} and exits 0, or
 * names the first bad sequence number and exits 1; 2 means it could not read its input.
 *
 * <p>The algorithm repeats io.portcullis.audit.AuditChain and CanonicalJson (see docs/audit.md):
 * hash = hex(SHA-256(prevHash + "\n" + canonical line)), where the canonical line is the event's
 * fields action, actor, details, processInstanceId, requestId, resource, seq, subject, time as JSON with
 * sorted keys, no whitespace, and only quote, backslash, control characters and lone surrogates escaped;
 * a checkpoint signs "portcullis-audit-checkpoint\n" + seq + "\n" + hash. Reads the file twice, so memory
 * stays small whatever its size.
 *
 * <p>With {@code --log FILE} (repeatable) it then checks a SIEM copy of the trail (the lines of the logger
 * portcullis.audit, each the same canonical line as an export's event) against the verified export: a
 * line whose seq the export holds with other content, or two lines giving one seq different content, is
 * a failure (a crash cannot cause it: Portcullis logs only durably sealed events); the same line twice is
 * what a crash can leave, and is noted; lines beyond the export, and the export's events that the copy
 * lacks, are noted. Text before a line's first "{" (a log format's prefix) is ignored, a structured
 * log line's "message" is read, and lines that are not events of the trail are skipped.
 */
public class VerifyAuditExport {

  static final String FORMAT = "portcullis-audit-export/1";
  static final String GENESIS_HASH = "0".repeat(64);
  static final List<String> LINE_FIELDS =
      List.of("action", "actor", "details", "processInstanceId", "requestId", "resource", "seq", "subject", "time");

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The exit code: 0 verified, 1 not, 2 cannot tell. Callable in-process by tests. */
  public static int run(String... args) {
    List<Path> logs = new ArrayList<>();
    for (int i = 2; i < args.length; i += 2) {
      if (!"--log".equals(args[i]) || i + 1 >= args.length) {
        logs = null;
        break;
      }
      logs.add(Path.of(args[i + 1]));
    }
    if (args.length < 2 || logs == null) {
      System.err.println("usage: java tools/VerifyAuditExport.java <export.jsonl> <public-key.b64> [--log <siem-copy.log>]...");
      return 2;
    }
    PublicKey key;
    try {
      key = readPublicKey(Path.of(args[1]));
    } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
      System.err.println("cannot read the public key " + args[1] + ": " + e.getMessage());
      return 2;
    }
    try {
      Result result = new Verification(Path.of(args[0]), key).run();
      if (result.badSeq == null) {
        System.out.println("OK: " + result.events + " events, chain head " + result.head + ", " + result.checkpoints
            + " checkpoints verified");
        result.notes.forEach(note -> System.out.println("note: " + note));
      } else {
        System.out.println("FAILED at seq " + result.badSeq + ": " + result.reason);
        return 1;
      }
    } catch (IOException e) {
      System.err.println("cannot read " + args[0] + ": " + e.getMessage());
      return 2;
    }
    if (logs.isEmpty()) {
      return 0;
    }
    LogCopies copies;
    try {
      copies = new LogCopies(Path.of(args[0]));
    } catch (IOException | Bad e) {
      System.err.println("cannot read " + args[0] + " again: " + e.getMessage());
      return 2;
    }
    int exit = 0;
    for (Path log : logs) {
      try {
        Result check = copies.check(log);
        if (check.badSeq != null) {
          System.out.println("FAILED at seq " + check.badSeq + ": log copy " + log + ": " + check.reason);
          exit = 1;
        } else {
          System.out.println("OK: log copy " + log + ": " + check.events + " lines agree with the export");
        }
        check.notes.forEach(note -> System.out.println("note: " + note));
      } catch (IOException e) {
        System.err.println("cannot read " + log + ": " + e.getMessage());
        return 2;
      }
    }
    return exit;
  }

  /** A verified export's events by seq, as digests of their canonical lines, to hold SIEM copies against. */
  static final class LogCopies {
    private final Map<Long, String> exported = new java.util.HashMap<>();
    private long fromSeq = Long.MAX_VALUE;
    private long toSeq = 0;

    LogCopies(Path export) throws IOException, Bad {
      try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
          lineNo++;
          Map<String, Object> item = Verification.object(line, lineNo, 0);
          if ("event".equals(item.get("type"))) {
            long seq = Verification.number(item, "seq", lineNo, 0);
            exported.put(seq, digest(item));
            fromSeq = Math.min(fromSeq, seq);
            toSeq = Math.max(toSeq, seq);
          }
        }
      }
    }

    Result check(Path log) throws IOException {
      Result result = new Result();
      Map<Long, String> seen = new java.util.HashMap<>();
      long repeated = 0;
      long beyond = 0;
      long before = 0;
      long firstBeyond = 0;
      try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          int brace = line.indexOf('{');
          if (brace < 0) {
            continue;
          }
          Map<String, Object> item;
          long seq;
          try {
            item = Verification.object(line.substring(brace), 0, 0);
            // a structured log format (ECS, logstash) carries the line as its message
            if (!"event".equals(item.get("type")) && item.get("message") instanceof String message && message.startsWith("{")) {
              item = Verification.object(message, 0, 0);
            }
            if (!"event".equals(item.get("type")) || !(item.get("hash") instanceof String)) {
              continue;
            }
            seq = Verification.number(item, "seq", 0, 0);
          } catch (Bad notAnEvent) {
            continue;
          }
          String digest = digest(item);
          String earlier = seen.putIfAbsent(seq, digest);
          if (earlier != null) {
            if (!earlier.equals(digest)) {
              result.badSeq = seq;
              result.reason = "two lines give event " + seq + " different content or hashes: a crash cannot cause that";
              return result;
            }
            repeated++;
            continue;
          }
          String inExport = exported.get(seq);
          if (inExport != null) {
            if (!inExport.equals(digest)) {
              result.badSeq = seq;
              result.reason = "its line for event " + seq + " differs from the export's: one of the two was changed";
              return result;
            }
            result.events++;
          } else if (seq > toSeq) {
            beyond++;
            firstBeyond = firstBeyond == 0 ? seq : Math.min(firstBeyond, seq);
          } else {
            before++;
          }
        }
      }
      if (repeated > 0) {
        result.notes.add(repeated + " lines repeat an earlier line exactly, as a restart after a crash writes them again");
      }
      if (beyond > 0) {
        result.notes.add(beyond + " lines are for events after the export's last seq (" + toSeq + ", from " + firstBeyond
            + "): not checked, export again to check them");
      }
      if (before > 0) {
        result.notes.add(before + " lines are for events before the export's first seq: not checked");
      }
      long missing = exported.keySet().stream().filter(seq -> !seen.containsKey(seq)).count();
      if (missing > 0) {
        long first = exported.keySet().stream().filter(seq -> !seen.containsKey(seq)).min(Long::compare).orElse(0L);
        result.notes.add(missing + " of the export's events are not in this copy (the first: seq " + first
            + "); the logger may have been off, or lines lost on their way");
      }
      return result;
    }

    private static String digest(Map<String, Object> item) {
      StringBuilder out = new StringBuilder();
      write(out, item);
      return sha256Hex(out.toString());
    }
  }

  static PublicKey readPublicKey(Path file) throws IOException, java.security.GeneralSecurityException {
    String base64 = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
        .filter(line -> !line.startsWith("-----")).collect(Collectors.joining()).replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  static final class Result {
    Long badSeq;
    String reason;
    long events;
    long checkpoints;
    String head;
    final List<String> notes = new ArrayList<>();
  }

  /** A fault, with the sequence number it is found at. */
  static final class Bad extends Exception {
    final long seq;

    Bad(long seq, String reason) {
      super(reason);
      this.seq = seq;
    }
  }

  static final class Verification {
    private final Path file;
    private final PublicKey key;
    private final String keyId;
    private final Result result = new Result();

    Verification(Path file, PublicKey key) {
      this.file = file;
      this.key = key;
      this.keyId = keyIdOf(key);
    }

    Result run() throws IOException {
      try {
        verify();
      } catch (Bad bad) {
        result.badSeq = bad.seq;
        result.reason = bad.getMessage();
      }
      return result;
    }

    private void verify() throws IOException, Bad {
      Map<String, Object> header;
      TreeMap<Long, Map<String, Object>> checkpoints = new TreeMap<>();
      // first pass: the header, and the checkpoints (which follow the events), so the second pass can
      // check each one when it reaches its event
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String first = in.readLine();
        if (first == null) {
          throw new Bad(0, "the export is empty: it has no header");
        }
        header = object(first, 1, 0);
        if (!"header".equals(header.get("type")) || !FORMAT.equals(header.get("format"))) {
          throw new Bad(0, "the first line is not a " + FORMAT + " header");
        }
        String line;
        long lineNo = 1;
        while ((line = in.readLine()) != null) {
          lineNo++;
          Map<String, Object> item = object(line, lineNo, 0);
          if ("checkpoint".equals(item.get("type"))) {
            long seq = number(item, "seq", lineNo, 0);
            if (checkpoints.put(seq, item) != null) {
              throw new Bad(seq, "checkpoint " + seq + " appears twice");
            }
          }
        }
      }
      long fromSeq = number(header, "fromSeq", 1, 0);
      long toSeq = number(header, "toSeq", 1, 0);
      String startHash = (String) header.get("startHash");
      if (!key.equals(publicKeyOf(header))) {
        result.notes.add("the export names another public key than the one given; only the one given is trusted");
      }
      if (fromSeq == 1 && toSeq >= 1 && !GENESIS_HASH.equals(startHash)) {
        throw new Bad(1, "an export from seq 1 must start from the genesis hash");
      }

      // the checkpoint just before the range, if the export has it, signs the hash that the range starts from
      Map<String, Object> anchor = checkpoints.remove(fromSeq - 1);
      boolean anchored = false;
      if (anchor != null) {
        checkCheckpoint(anchor, fromSeq - 1, String.valueOf(startHash));
        anchored = true;
        result.checkpoints++;
      }

      // second pass: the chain, event by event
      long expected = fromSeq;
      String prevHash = startHash;
      long lastCheckpoint = anchored ? fromSeq - 1 : -1;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        in.readLine();
        String line;
        long lineNo = 1;
        while ((line = in.readLine()) != null) {
          lineNo++;
          Map<String, Object> item = object(line, lineNo, expected);
          Object type = item.get("type");
          if ("checkpoint".equals(type)) {
            continue;
          }
          if (!"event".equals(type)) {
            throw new Bad(expected, "line " + lineNo + " is neither an event nor a checkpoint");
          }
          long seq = number(item, "seq", lineNo, expected);
          if (seq != expected) {
            throw new Bad(expected, seq > expected ? "event " + expected + " is missing" : "event " + seq + " is out of order");
          }
          if (seq > toSeq) {
            throw new Bad(seq, "event " + seq + " lies beyond the export's range (to " + toSeq + ")");
          }
          if (!String.valueOf(item.get("prevHash")).equals(prevHash)) {
            throw new Bad(seq, "event " + seq + " does not follow the event before it (prevHash differs)");
          }
          String hash = sha256Hex(prevHash + "\n" + canonicalLine(item));
          if (!hash.equals(item.get("hash"))) {
            throw new Bad(seq, "event " + seq + " was changed: its content does not match its hash");
          }
          Map<String, Object> checkpoint = checkpoints.get(seq);
          if (checkpoint != null) {
            checkCheckpoint(checkpoint, seq, hash);
            lastCheckpoint = seq;
            result.checkpoints++;
          }
          prevHash = hash;
          expected = seq + 1;
          result.events++;
        }
      }
      if (result.events != Math.max(0, toSeq - fromSeq + 1)) {
        throw new Bad(expected, "the export ends at seq " + (expected - 1) + " but its header says it holds events to " + toSeq);
      }
      if (!checkpoints.isEmpty() && (checkpoints.firstKey() < fromSeq || checkpoints.lastKey() > toSeq)) {
        long seq = checkpoints.firstKey() < fromSeq ? checkpoints.firstKey() : checkpoints.lastKey();
        throw new Bad(seq, "checkpoint " + seq + " lies outside the exported events");
      }
      result.head = prevHash != null ? prevHash : GENESIS_HASH;
      if (result.events > 0 && lastCheckpoint < toSeq) {
        result.notes.add(lastCheckpoint < 0
            ? "no signed checkpoint in this export: the chain is consistent, but nothing proves who wrote it"
            : "events " + (lastCheckpoint + 1) + " to " + toSeq + " follow the last signed checkpoint: they are covered by the hash chain only");
      }
      if (fromSeq > 1 && result.events > 0 && !anchored) {
        result.notes.add("the export starts at seq " + fromSeq + ": the hash it starts from is not signed, only what follows it");
      }
    }

    private void checkCheckpoint(Map<String, Object> c, long seq, String eventHash) throws Bad {
      if (!eventHash.equals(c.get("hash"))) {
        throw new Bad(seq, "checkpoint " + seq + " does not match event " + seq + "'s hash");
      }
      if (!keyId.equals(c.get("keyId"))) {
        throw new Bad(seq, "checkpoint " + seq + " was signed by key " + c.get("keyId") + ", not by the key given (" + keyId + ")");
      }
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(("portcullis-audit-checkpoint\n" + seq + "\n" + eventHash).getBytes(StandardCharsets.UTF_8));
        if (verifier.verify(Base64.getDecoder().decode(String.valueOf(c.get("signature"))))) {
          return;
        }
      } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
        // an unreadable signature is a bad one
      }
      throw new Bad(seq, "checkpoint " + seq + " has an invalid signature");
    }

    private static PublicKey publicKeyOf(Map<String, Object> header) {
      try {
        byte[] der = Base64.getDecoder().decode(String.valueOf(header.get("publicKey")));
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
        return null;
      }
    }

    static Map<String, Object> object(String line, long lineNo, long seq) throws Bad {
      try {
        Object value = new Json(line).document();
        if (value instanceof Map<?, ?>) {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = (Map<String, Object>) value;
          return map;
        }
      } catch (IllegalArgumentException e) {
        throw new Bad(seq, "line " + lineNo + " is not valid JSON: " + e.getMessage());
      }
      throw new Bad(seq, "line " + lineNo + " is not a JSON object");
    }

    static long number(Map<String, Object> item, String field, long lineNo, long seq) throws Bad {
      if (item.get(field) instanceof Num n) {
        try {
          return Long.parseLong(n.text());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw new Bad(seq, "line " + lineNo + " has no whole number " + field);
    }
  }

  static String canonicalLine(Map<String, Object> event) {
    Map<String, Object> fields = new TreeMap<>();
    for (String name : LINE_FIELDS) {
      fields.put(name, event.get(name));
    }
    StringBuilder out = new StringBuilder();
    write(out, fields);
    return out.toString();
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String keyIdOf(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return "ed25519:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- canonical JSON: sorted keys, no whitespace, minimal escapes; numbers as they were written ----

  /** A JSON number, kept as written so that writing it back gives the same text. */
  record Num(String text) {}

  static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean || value instanceof Num) {
      out.append(value instanceof Num n ? n.text() : value.toString());
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, e.getKey());
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
          boolean pairedLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
          if (c < 0x20 || Character.isSurrogate(c) && !pairedHigh && !pairedLow) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A strict reader of one JSON document (RFC 8259); objects keep their keys, numbers their text. */
  static final class Json {
    private static final int MAX_DEPTH = 64;
    private final String text;
    private int pos;
    private int depth;

    Json(String text) {
      this.text = text;
    }

    Object document() {
      Object value = value();
      skipWhitespace();
      if (pos != text.length()) {
        throw error("unexpected text after the value");
      }
      return value;
    }

    private Object value() {
      skipWhitespace();
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || c >= '0' && c <= '9') {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private Map<String, Object> object() {
      enter();
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        depth--;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String key = string();
        skipWhitespace();
        expect(':');
        if (map.containsKey(key)) {
          throw error("duplicate key " + key);
        }
        map.put(key, value());
        skipWhitespace();
        char c = next();
        if (c == '}') {
          depth--;
          return map;
        }
        if (c != ',') {
          throw error("expected , or }");
        }
      }
    }

    private List<Object> array() {
      enter();
      List<Object> list = new ArrayList<>();
      pos++;
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        depth--;
        return list;
      }
      while (true) {
        list.add(value());
        skipWhitespace();
        char c = next();
        if (c == ']') {
          depth--;
          return list;
        }
        if (c != ',') {
          throw error("expected , or ]");
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw error("control character in a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("short \\u escape");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    private Num number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else if (digits() == 0) {
        throw error("bad number");
      }
      if (peek() == '.') {
        pos++;
        if (digits() == 0) {
          throw error("bad number");
        }
      }
      if (peek() == 'e' || peek() == 'E') {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (digits() == 0) {
          throw error("bad number");
        }
      }
      return new Num(text.substring(start, pos));
    }

    private int digits() {
      int start = pos;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      return pos - start;
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("unexpected word");
      }
      pos += word.length();
      return value;
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw error("nested too deeply");
      }
    }

    private void skipWhitespace() {
      while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      return text.charAt(pos++);
    }

    private void expect(char c) {
      if (next() != c) {
        throw error("expected " + c);
      }
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException(message + " at column " + (pos + 1));
    }
  }
}
