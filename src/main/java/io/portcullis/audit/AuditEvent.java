package io.portcullis.audit;

import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.modulith.NamedInterface;

/**
 * One recorded event of the audit trail, as stored. Every event has its {@code entryId} (its row,
 * in insertion order) and {@code entryMac} (written in the transaction of the step it describes).
 * Once sealed, shortly after that transaction commits ({@link AuditSealer}), it also has its place
 * in the chain: {@code seq} (gap-free, from 1), {@code prevHash}, {@code hash} and {@code mac}.
 * Before that, {@code seq} is 0 and those three are null. {@code details} is the canonical JSON of
 * the draft's details. Events sealed before entries existed have no {@code entryMac}: their chain
 * and mac cover them.
 */
@NamedInterface("trail")
public record AuditEvent(
    long seq,
    Instant time,
    String actor,
    String action,
    String subject,
    String resource,
    String requestId,
    String processInstanceId,
    String details,
    String prevHash,
    String hash,
    String mac,
    long entryId,
    String entryMac) {

  /** The actor of what Portcullis does by itself (an expiry, a retry, a timed checkpoint). */
  public static final String SYSTEM = "system";

  /** Whether the sealer has given this event its place in the chain. */
  public boolean sealed() {
    return seq > 0;
  }

  /** The canonical line that {@link #hash} covers; see {@link AuditChain}. */
  public String canonicalLine() {
    return AuditChain.canonicalLine(
        seq, time, actor, action, subject, resource, requestId, processInstanceId, details);
  }

  /** The line that {@link #entryMac} covers; see {@link AuditChain}. */
  String entryLine() {
    return AuditChain.entryLine(
        entryId, time, actor, action, subject, resource, requestId, processInstanceId, details);
  }

  /** This event with its place in the chain. */
  AuditEvent sealedAs(long seq, String prevHash, String hash, String mac) {
    return new AuditEvent(
        seq,
        time,
        actor,
        action,
        subject,
        resource,
        requestId,
        processInstanceId,
        details,
        prevHash,
        hash,
        mac,
        entryId,
        entryMac);
  }

  /**
   * An event to record: who did what, to whose access, on which resource, in which request. Start
   * with {@link #by(String, String)} and add what applies:
   *
   * <pre>{@code
   * audit.record(Draft.by(approver, AuditAction.ACCESS_DECIDED)
   *     .subject(requester).resource(resourceId).request(requestId, processInstanceId)
   *     .detail("decision", "APPROVE").detail("stage", 1));
   * }</pre>
   *
   * Details are for small facts (a decision, a duration, an error message), at most {@value
   * #MAX_DETAILS_CHARS} characters as JSON. A detail whose name looks like a secret (password,
   * secret, token, credential, private key) is recorded as {@value #REDACTED}, never as its value.
   */
  @NamedInterface("trail")
  public record Draft(
      String actor,
      String action,
      String subject,
      String resource,
      String requestId,
      String processInstanceId,
      Map<String, Object> details) {

    public static final int MAX_DETAILS_CHARS = 8000;
    public static final String REDACTED = "[redacted]";
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
    private static final Pattern SECRET_NAME =
        Pattern.compile("(?i).*(password|passwd|secret|token|credential|private.?key|hmac).*");
    private static final int MAX_FIELD = 256;

    public Draft {
      actor = required("actor", actor);
      action = required("action", action);
      if (!ACTION.matcher(action).matches() || action.length() > 64) {
        throw new IllegalArgumentException(
            "audit action '" + action + "' is not of the form noun.verb (see AuditAction)");
      }
      subject = optional("subject", subject);
      resource = optional("resource", resource);
      requestId = optional("requestId", requestId);
      processInstanceId = optional("processInstanceId", processInstanceId);
      details =
          details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Draft by(String actor, String action) {
      return new Draft(actor, action, null, null, null, null, Map.of());
    }

    /** By a person, under their canonical name. */
    public static Draft by(Username actor, String action) {
      return by(actor.value(), action);
    }

    /** The person whose access this is about. */
    public Draft subject(String subject) {
      return new Draft(actor, action, subject, resource, requestId, processInstanceId, details);
    }

    public Draft subject(Username subject) {
      return subject(subject == null ? null : subject.value());
    }

    /** The catalog resource (or other target) this is about. */
    public Draft resource(String resource) {
      return new Draft(actor, action, subject, resource, requestId, processInstanceId, details);
    }

    public Draft resource(ResourceId resource) {
      return resource(resource == null ? null : resource.value());
    }

    public Draft request(String requestId, String processInstanceId) {
      return new Draft(actor, action, subject, resource, requestId, processInstanceId, details);
    }

    /** An access request and its process instance. */
    public Draft request(RequestId requestId, String processInstanceId) {
      return request(requestId == null ? null : requestId.value(), processInstanceId);
    }

    /** An offboarding (the trail keeps its id where a request's goes) and its saga's instance. */
    public Draft request(OffboardingId offboardingId, String processInstanceId) {
      return request(offboardingId == null ? null : offboardingId.value(), processInstanceId);
    }

    public Draft detail(String name, Object value) {
      Map<String, Object> more = new LinkedHashMap<>(details);
      more.put(name, value);
      return new Draft(actor, action, subject, resource, requestId, processInstanceId, more);
    }

    public Draft details(Map<String, ?> values) {
      Map<String, Object> more = new LinkedHashMap<>(details);
      more.putAll(values);
      return new Draft(actor, action, subject, resource, requestId, processInstanceId, more);
    }

    /** The details as they are stored and hashed: canonical JSON, secrets redacted. */
    String detailsJson() {
      String json = CanonicalJson.write(redacted(details));
      if (json.length() > MAX_DETAILS_CHARS) {
        throw new IllegalArgumentException(
            "audit details are "
                + json.length()
                + " characters as JSON; at most "
                + MAX_DETAILS_CHARS
                + " are kept");
      }
      return json;
    }

    private static Object redacted(Object value) {
      if (value instanceof Map<?, ?> map) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        map.forEach(
            (k, v) ->
                copy.put(
                    k,
                    k instanceof String name && SECRET_NAME.matcher(name).matches()
                        ? REDACTED
                        : redacted(v)));
        return copy;
      }
      if (value instanceof Iterable<?> items) {
        List<Object> copy = new ArrayList<>();
        items.forEach(item -> copy.add(redacted(item)));
        return copy;
      }
      return value;
    }

    private static String required(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("an audit event needs its " + field);
      }
      return optional(field, value);
    }

    private static String optional(String field, String value) {
      if (value != null && value.length() > MAX_FIELD) {
        throw new IllegalArgumentException(
            "audit " + field + " is longer than " + MAX_FIELD + " characters");
      }
      return value;
    }
  }
}
