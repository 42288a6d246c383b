package io.portcullis.scim;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.kernel.Username;
import io.portcullis.offboarding.OffboardingAsk;
import io.portcullis.offboarding.Offboardings;
import io.portcullis.web.PublicUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /scim/v2/Users}: the identity provider finds people of the directory ({@code GET}) and
 * deactivates them ({@code PATCH} or {@code PUT} with {@code active} false, or {@code DELETE}). A
 * deactivation means now: it starts their offboarding, brings a scheduled one forward to now, or
 * joins the one under way ({@link Offboardings#deactivate}). A person the directory does not have
 * is 404, as RFC 7644 §3.12 answers a resource that does not exist; the deactivation is audited as
 * refused and starts nothing. Nothing else about a person is changed here: the directory owns them.
 */
@RestController
@RequestMapping(Scim.BASE + "/Users")
class ScimUsersController {

  /** The most people one answer lists (a page); a filter on userName finds at most one anyway. */
  static final int MAX_COUNT = 100;

  /** The most people listed without a filter: beyond, the identity provider is asked to filter. */
  static final int MAX_LISTED = 10_000;

  /**
   * A client's own request id, taken as the offboarding's reference only when it is plainly an id.
   */
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private final DirectoryPeople people;
  private final PersonActivity activity;
  private final Offboardings offboardings;
  private final PublicUrl publicUrl;

  ScimUsersController(
      DirectoryPeople people,
      PersonActivity activity,
      Offboardings offboardings,
      PublicUrl publicUrl) {
    this.people = people;
    this.activity = activity;
    this.offboardings = offboardings;
    this.publicUrl = publicUrl;
  }

  /**
   * {@code filter=userName eq "x"}, the match an identity provider makes before it links a person;
   * or, without a filter, everyone, page by page in the order of their names (Okta's connection
   * test and import list them), up to {@link #MAX_LISTED} people in the directory.
   */
  @GetMapping
  ResponseEntity<ListResponse> query(
      @RequestParam(required = false) String filter,
      @RequestParam(required = false) String startIndex,
      @RequestParam(required = false) String count) {
    int from = Math.max(1, number("startIndex", startIndex, 1));
    int size = Math.min(MAX_COUNT, Math.max(0, number("count", count, MAX_COUNT)));
    // a name no login could have is nobody, without asking the directory
    List<Person> matches =
        filter == null
            ? people.all(MAX_LISTED)
            : Username.valid(UserNameFilter.userName(filter)).flatMap(people::find).stream()
                .toList();
    List<ScimUser> page =
        ListResponse.slice(matches, from, size).stream().map(this::resource).toList();
    return scim(ListResponse.of(matches.size(), from, page));
  }

  @GetMapping("/{id}")
  ResponseEntity<ScimUser> get(@PathVariable String id) {
    return scim(resource(person(id)));
  }

  @PatchMapping(
      path = "/{id}",
      consumes = {Scim.MEDIA_TYPE_VALUE, "application/json"})
  ResponseEntity<ScimUser> patch(
      @PathVariable String id,
      @RequestBody JsonNode body,
      Principal client,
      @RequestHeader(name = "X-Request-Id", required = false) String requestId) {
    Deactivation.ofPatch(body);
    return scim(deactivate(id, "SCIM PATCH active=false", client, requestId));
  }

  @PutMapping(
      path = "/{id}",
      consumes = {Scim.MEDIA_TYPE_VALUE, "application/json"})
  ResponseEntity<ScimUser> put(
      @PathVariable String id,
      @RequestBody JsonNode body,
      Principal client,
      @RequestHeader(name = "X-Request-Id", required = false) String requestId) {
    Deactivation.ofPut(body);
    return scim(deactivate(id, "SCIM PUT active=false", client, requestId));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(
      @PathVariable String id,
      Principal client,
      @RequestHeader(name = "X-Request-Id", required = false) String requestId) {
    deactivate(id, "SCIM DELETE", client, requestId);
    return ResponseEntity.noContent().build();
  }

  /** People come from the directory; the identity provider cannot add one here. */
  @PostMapping
  ResponseEntity<ScimUser> create() {
    throw ScimException.notImplemented(
        "Portcullis does not create people: they come from the directory. "
            + "Match people by userName (GET "
            + Scim.BASE
            + "/Users?filter=userName eq \"<name>\").");
  }

  /**
   * The person's offboarding, started, brought forward or joined; the answer is the User as {@code
   * GET} reads it from then on: inactive, since their offboarding runs (and freezes them at its
   * first step) or ran.
   */
  private ScimUser deactivate(String id, String how, Principal client, String requestId) {
    Optional<Username> name = Username.valid(id);
    Optional<Person> person = name.flatMap(people::find);
    if (person.isEmpty() && name.isEmpty()) {
      throw ScimException.noSuchUser();
    }
    String reference =
        "scim:"
            + (requestId != null && REQUEST_ID.matcher(requestId).matches()
                ? requestId
                : UUID.randomUUID());
    // a name the directory does not know is refused there, audited, and answered 404
    // (ScimErrorAdvice)
    Offboardings.Started started =
        offboardings.deactivate(
            client.getName(),
            new OffboardingAsk(
                person.map(Person::username).orElse(name.get()),
                null,
                "deactivated by the identity provider (" + how + ")",
                reference));
    return resource(
        person.orElseGet(
            () ->
                people
                    .find(started.offboarding().username())
                    .orElseThrow(ScimException::noSuchUser)));
  }

  private Person person(String id) {
    return Username.valid(id).flatMap(people::find).orElseThrow(ScimException::noSuchUser);
  }

  private ScimUser resource(Person person) {
    return ScimUser.of(person, activity.active(person.username()), location(person));
  }

  private String location(Person person) {
    return publicUrl.origin()
        + Scim.BASE
        + "/Users/"
        + URLEncoder.encode(person.username().value(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static int number(String name, String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ScimException.badRequest(ScimException.INVALID_VALUE, name + " is a whole number.");
    }
  }

  private static <T> ResponseEntity<T> scim(T body) {
    return ResponseEntity.ok().contentType(Scim.MEDIA_TYPE).body(body);
  }
}
