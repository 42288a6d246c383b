package io.portcullis.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.portcullis.kernel.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The audit trail for auditors and admins (the security filter lets nobody else in): search it,
 * export it, verify it, and fetch the public key that verifies an export offline.
 */
@RestController
@RequestMapping("/api/audit")
@Tag(
    name = "Audit trail",
    description = "Search, export and verify the tamper-evident audit trail (auditors, admins)")
class AuditController {

  static final MediaType JSONL = MediaType.parseMediaType("application/x-ndjson");
  static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");
  private static final int MAX_PAGE_SIZE = 500;

  private final AuditEvents events;
  private final AuditExport export;
  private final AuditTrail trail;
  private final AuditVerifier verifier;
  private final AuditKeys keys;

  AuditController(
      AuditEvents events,
      AuditExport export,
      AuditVerifier verifier,
      AuditKeys keys,
      AuditTrail trail) {
    this.trail = trail;
    this.events = events;
    this.export = export;
    this.verifier = verifier;
    this.keys = keys;
  }

  @GetMapping
  @Operation(summary = "A page of events, newest first; from is inclusive, to exclusive")
  EventPage search(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String resource,
      @RequestParam(required = false) String action,
      @RequestParam(required = false) String requestId,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    Instant fromTime = AuditParameters.instant("from", from);
    Instant toTime = AuditParameters.instant("to", to);
    if (fromTime != null && toTime != null && !toTime.isAfter(fromTime)) {
      throw new InvalidInputException("to", "must be after from");
    }
    AuditQuery query =
        new AuditQuery(
            fromTime,
            toTime,
            AuditParameters.text("subject", subject),
            AuditParameters.text("actor", actor),
            AuditParameters.text("resource", resource),
            AuditParameters.text("action", action),
            AuditParameters.text("requestId", requestId));
    int pageNumber = (int) AuditParameters.number("page", page, 0, 0, 1_000_000);
    int pageSize = (int) AuditParameters.number("size", size, 50, 1, MAX_PAGE_SIZE);
    List<EventView> items =
        events.page(query, pageNumber, pageSize).stream().map(EventView::of).toList();
    return new EventPage(items, pageNumber, pageSize, events.count(query));
  }

  @GetMapping("/export")
  @Operation(
      summary = "Streams events fromSeq..toSeq (default: all) as JSONL (verifiable offline) or CSV")
  ResponseEntity<StreamingResponseBody> export(
      @RequestParam(required = false) String format,
      @RequestParam(required = false) String fromSeq,
      @RequestParam(required = false) String toSeq) {
    String chosen = format == null ? "jsonl" : format;
    if (!chosen.equals("jsonl") && !chosen.equals("csv")) {
      throw new InvalidInputException("format", "must be jsonl or csv");
    }
    Long from = AuditParameters.optionalNumber("fromSeq", fromSeq, 1);
    Long to = AuditParameters.optionalNumber("toSeq", toSeq, 1);
    if (from != null && to != null && to < from) {
      throw new InvalidInputException("toSeq", "must not be less than fromSeq");
    }
    if (to == null) {
      // an export up to the end of the trail ends on a signed checkpoint, so that it can be
      // verified offline at once, not only after the next hourly checkpoint
      trail.checkpointNow();
    }
    AuditExport.Range range = export.range(from, to);
    boolean jsonl = chosen.equals("jsonl");
    String filename = "audit-" + range.fromSeq() + "-" + range.toSeq() + "." + chosen;
    StreamingResponseBody body =
        jsonl ? out -> export.writeJsonl(range, out) : out -> export.writeCsv(range, out);
    return ResponseEntity.ok()
        .contentType(jsonl ? JSONL : CSV)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(filename).build().toString())
        .body(body);
  }

  @GetMapping("/verify")
  @Operation(
      summary = "Verifies every event and checkpoint with the keys; 200 whether valid or not")
  AuditVerification verify() {
    return verifier.verify();
  }

  @GetMapping(value = "/public-key", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(
      summary =
          "The Ed25519 public key (base64 X.509 SubjectPublicKeyInfo) that verifies an export's checkpoints")
  ResponseEntity<String> publicKey() {
    return ResponseEntity.ok().header("X-Key-Id", keys.keyId()).body(keys.publicKeyBase64() + "\n");
  }

  /**
   * Named apart from the access requests' page, so that the OpenAPI document gives each its own
   * schema.
   */
  record EventPage(List<EventView> items, int page, int size, long totalItems) {}

  /** seq, prevHash and hash are null until the event is sealed, shortly after its step commits. */
  record EventView(
      Long seq,
      String time,
      String actor,
      String action,
      String subject,
      String resource,
      String requestId,
      String processInstanceId,
      @JsonRawValue String details,
      String prevHash,
      String hash) {

    static EventView of(AuditEvent e) {
      return new EventView(
          e.sealed() ? e.seq() : null,
          AuditChain.formatTime(e.time()),
          e.actor(),
          e.action(),
          e.subject(),
          e.resource(),
          e.requestId(),
          e.processInstanceId(),
          e.details(),
          e.prevHash(),
          e.hash());
    }
  }
}
