package io.portcullis.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trail's algorithm in one place, used to write it and to verify it. {@code
 * tools/VerifyAuditExport.java} repeats it so that an export can be checked with nothing but a JDK:
 * change both or neither, and say so in docs/audit.md.
 *
 * <p>The <em>canonical line</em> of an event is the canonical JSON ({@link CanonicalJson}) of the
 * object with the keys {@code action, actor, details, processInstanceId, requestId, resource, seq,
 * subject, time}; absent values are {@code null}, {@code time} is ISO-8601 UTC with exactly three
 * fraction digits, {@code details} is an object. The event's hash is {@code hex(SHA-256(prevHashHex
 * + "\n" + line))}, the first event's {@code prevHash} is {@link #GENESIS_HASH}. A checkpoint
 * signs, with Ed25519, the UTF-8 bytes of {@code "portcullis-audit-checkpoint\n" + seq + "\n" +
 * hash}.
 *
 * <p>Before it is sealed (given its seq and hash), an event is an <em>entry</em>: its <em>entry
 * line</em> is the canonical JSON of the same keys with {@code entry} (its row id) in place of
 * {@code seq}, and its entry MAC is {@code hex(HMAC-SHA256(hmacKey, "portcullis-audit-entry\n" +
 * entryLine))}. The row id in the line makes a copied row (which gets another id) fail its MAC.
 */
final class AuditChain {

  static final String GENESIS_HASH = "0".repeat(64);
  static final String HASH_ALGORITHM = "SHA-256";
  static final String SIGNATURE_ALGORITHM = "Ed25519";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AuditChain() {}

  /**
   * Events are timed to the millisecond: what the database keeps and what the line says must agree.
   */
  static Instant truncate(Instant time) {
    return time.truncatedTo(ChronoUnit.MILLIS);
  }

  static String formatTime(Instant time) {
    return TIME.format(time);
  }

  static String canonicalLine(
      long seq,
      Instant time,
      String actor,
      String action,
      String subject,
      String resource,
      String requestId,
      String processInstanceId,
      String detailsJson) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("action", action);
    fields.put("actor", actor);
    fields.put("details", new CanonicalJson.Raw(detailsJson));
    fields.put("processInstanceId", processInstanceId);
    fields.put("requestId", requestId);
    fields.put("resource", resource);
    fields.put("seq", seq);
    fields.put("subject", subject);
    fields.put("time", formatTime(time));
    return CanonicalJson.write(fields);
  }

  static String entryLine(
      long entryId,
      Instant time,
      String actor,
      String action,
      String subject,
      String resource,
      String requestId,
      String processInstanceId,
      String detailsJson) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("action", action);
    fields.put("actor", actor);
    fields.put("details", new CanonicalJson.Raw(detailsJson));
    fields.put("entry", entryId);
    fields.put("processInstanceId", processInstanceId);
    fields.put("requestId", requestId);
    fields.put("resource", resource);
    fields.put("subject", subject);
    fields.put("time", formatTime(time));
    return CanonicalJson.write(fields);
  }

  /** What an entry's MAC covers: domain-separated from the MAC of a hash. */
  static String entryMacText(String entryLine) {
    return "portcullis-audit-entry\n" + entryLine;
  }

  static String hash(String prevHash, String canonicalLine) {
    try {
      byte[] digest =
          MessageDigest.getInstance(HASH_ALGORITHM)
              .digest((prevHash + "\n" + canonicalLine).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  static byte[] checkpointMessage(long seq, String hash) {
    return ("portcullis-audit-checkpoint\n" + seq + "\n" + hash).getBytes(StandardCharsets.UTF_8);
  }

  static boolean verifySignature(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
