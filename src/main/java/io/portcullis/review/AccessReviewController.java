package io.portcullis.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.ResourceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Access reviews: an admin starts one for a resource; admins, auditors and the resource's owners
 * read them; the owners keep or remove each holder (as in Tasklist); the evidence is exported as
 * the audit trail is, JSON lines or CSV.
 */
@RestController
@RequestMapping("/api/access-reviews")
@Tag(
    name = "Access reviews",
    description = "Periodic reviews of standing access by each resource's owner group")
class AccessReviewController {

  static final MediaType JSONL = MediaType.parseMediaType("application/x-ndjson");
  static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

  private final AccessReviews reviews;
  private final ObjectMapper json;

  AccessReviewController(AccessReviews reviews, ObjectMapper json) {
    this.reviews = reviews;
    this.json = json;
  }

  @PostMapping
  @Operation(
      summary =
          "Starts a review of a resource now (admins); its holders are listed by the review's first step")
  ResponseEntity<ReviewView> start(
      @AuthenticationPrincipal Caller caller, @Valid @RequestBody StartReview body) {
    Campaign campaign = reviews.start(caller, ResourceId.of(body.resource()));
    return ResponseEntity.created(URI.create("/api/access-reviews/" + campaign.id()))
        .body(ReviewView.of(campaign, reviews.items(campaign)));
  }

  @GetMapping
  @Operation(
      summary = "The newest reviews the caller may see (admins, auditors, owners), newest first")
  List<ReviewView> list(@AuthenticationPrincipal Caller caller) {
    return reviews.list(caller).stream().map(c -> ReviewView.of(c, List.of())).toList();
  }

  @GetMapping("/{id}")
  @Operation(summary = "One review with each holder's item and outcome")
  ReviewView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    Campaign campaign = reviews.get(caller, id);
    return ReviewView.of(campaign, reviews.items(campaign));
  }

  @PostMapping("/{id}/items/{item}")
  @Operation(
      summary =
          "Keeps or removes one holder (the resource's owner group; never the holder themself)")
  ItemView decide(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String id,
      @PathVariable int item,
      @Valid @RequestBody ReviewDecision body) {
    return ItemView.of(reviews.decide(caller, id, item, body.decision(), body.comment()));
  }

  @GetMapping("/{id}/evidence")
  @Operation(
      summary =
          "The review's evidence, who reviewed whom, when and the outcome: JSON lines (default) or CSV")
  ResponseEntity<byte[]> evidence(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String id,
      @RequestParam(defaultValue = "jsonl") String format) {
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw new InvalidInputException("format", "must be jsonl or csv");
    }
    Campaign campaign = reviews.get(caller, id);
    List<ItemView> items = reviews.items(campaign).stream().map(ItemView::of).toList();
    StringBuilder out = new StringBuilder();
    if (format.equals("csv")) {
      out.append("review,resource,owner,holder,outcome,decidedBy,decidedAt,comment,revokedAt\r\n");
      for (ItemView i : items) {
        out.append(
                String.join(
                    ",",
                    csv(campaign.id()),
                    csv(campaign.resource().value()),
                    csv(campaign.ownerGroup()),
                    csv(i.holder()),
                    csv(i.outcome()),
                    csv(i.decidedBy()),
                    csv(i.decidedAt()),
                    csv(i.comment()),
                    csv(i.revokedAt())))
            .append("\r\n");
      }
    } else {
      for (ItemView i : items) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("review", campaign.id());
        line.put("resource", campaign.resource().value());
        line.put("owner", campaign.ownerGroup());
        line.put("holder", i.holder());
        line.put("outcome", i.outcome());
        line.put("decidedBy", i.decidedBy());
        line.put("decidedAt", i.decidedAt());
        line.put("comment", i.comment());
        line.put("revokedAt", i.revokedAt());
        out.append(write(line)).append('\n');
      }
    }
    String name = "access-review-" + campaign.id() + "." + format;
    return ResponseEntity.ok()
        .contentType(format.equals("csv") ? CSV : JSONL)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(name).build().toString())
        .body(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CSV field: quoted, and a leading formula character made inert for spreadsheets. */
  private static String csv(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** Which resource to review now. */
  record StartReview(@NotBlank String resource) {}

  /** Keep or remove one holder, with an optional one-line comment. */
  record ReviewDecision(@NotBlank String decision, String comment) {}

  /**
   * A review: {@code status} OPEN until every holder is decided (and revoked if removed); {@code
   * items} empty in the list, and until the first step has listed the holders.
   */
  record ReviewView(
      String id,
      String resource,
      String owner,
      String onUnreviewed,
      String status,
      String startedBy,
      Instant startedAt,
      Instant deadline,
      Instant closedAt,
      List<ItemView> items) {
    static ReviewView of(Campaign c, List<ReviewItem> items) {
      return new ReviewView(
          c.id(),
          c.resource().value(),
          c.ownerGroup(),
          c.onUnreviewed().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          c.status(),
          c.startedBy(),
          c.startedAt(),
          c.deadline(),
          c.closedAt(),
          items.stream().map(ItemView::of).toList());
    }
  }

  /**
   * One holder: {@code outcome} PENDING, KEEP, REMOVE, UNREVIEWED_REVOKED or UNREVIEWED_KEPT;
   * {@code revokedAt} once a removal is read back as gone.
   */
  record ItemView(
      int item,
      String holder,
      String history,
      String outcome,
      String decidedBy,
      Instant decidedAt,
      String comment,
      Instant revokedAt) {
    static ItemView of(ReviewItem i) {
      return new ItemView(
          i.item(),
          i.holder().value(),
          i.history(),
          i.outcome().name(),
          i.decidedBy(),
          i.decidedAt(),
          i.comment(),
          i.revokedAt());
    }
  }
}
