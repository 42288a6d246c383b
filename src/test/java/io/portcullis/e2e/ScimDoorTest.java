package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.RawRequest;
import io.portcullis.support.WebappPath;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The SCIM door as an identity provider meets it: reading people by userName, and every refusal (no
 * token, a wrong one, a directory login, an unknown person, a malformed body, a change other than a
 * deactivation, a filter other than userName eq, a part of SCIM that is not done) answered as a
 * SCIM error, application/scim+json, with the RFC's scimType where it names one. An application
 * context of its own: the people it deactivates leave.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "portcullis.public-url=https://scim.portcullis.test")
@ActiveProfiles({"demo", "test"})
class ScimDoorTest {

  static final String TOKEN = "scim-demo-token";
  static final String USERS = "/scim/v2/Users";
  static final String DEACTIVATE =
      "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
          + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}";

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  /**
   * The bodies as Okta and Entra send them, byte for byte: each starts the person's offboarding, or
   * joins the one already open, with the SCIM request as its reference; the person reads back as
   * inactive.
   */
  @Test
  void eachDeactivationAnIdentityProviderSendsStartsOrJoinsTheOffboarding() {
    // Okta (and RFC 7644's example): replace without a path
    Answer okta =
        door.call("PATCH", USERS + "/alice")
            .bearer(TOKEN)
            .raw(DEACTIVATE, "application/scim+json")
            .send();
    assertDeactivated(okta, "alice");
    JsonNode alices = onlyOffboardingOf("alice");
    assertThat(alices.get("requestedBy").asText()).isEqualTo("scim");
    assertThat(alices.get("hrReference").asText()).startsWith("scim:");
    assertThat(alices.get("reason").asText())
        .isEqualTo("deactivated by the identity provider (SCIM PATCH active=false)");
    // the same with a path, later: the open offboarding is joined, not started again
    Answer withPath =
        door.call("PATCH", USERS + "/alice")
            .bearer(TOKEN)
            .raw(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
                "application/scim+json")
            .send();
    assertDeactivated(withPath, "alice");
    assertThat(onlyOffboardingOf("alice").get("id").asText()).isEqualTo(alices.get("id").asText());

    // Entra ID: "Replace", and the value a string, as application/json, with its own request id
    Answer entra =
        door.call("PATCH", USERS + "/BOB")
            .bearer(TOKEN)
            .header("X-Request-Id", "entra-4f1c2a")
            .raw(
                "{\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}],"
                    + "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]}",
                "application/json")
            .send();
    assertDeactivated(entra, "bob");
    assertThat(onlyOffboardingOf("bob").get("hrReference").asText()).isEqualTo("scim:entra-4f1c2a");

    // Okta's PUT of the whole User
    Answer put =
        door.call("PUT", USERS + "/carol")
            .bearer(TOKEN)
            .raw(
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                    + "\"id\":\"carol\",\"userName\":\"carol\",\"name\":{\"givenName\":\"Carol\",\"familyName\":\"Changed\"},"
                    + "\"emails\":[{\"primary\":true,\"value\":\"carol@example.com\",\"type\":\"work\"}],\"active\":false,"
                    + "\"groups\":[]}",
                "application/scim+json")
            .send();
    assertDeactivated(put, "carol");
    assertThat(put.json().get("name").get("familyName").asText())
        .as("the directory's, not the PUT's")
        .isNotEqualTo("Changed");
    JsonNode carols = onlyOffboardingOf("carol");
    assertThat(carols.get("reason").asText()).contains("SCIM PUT active=false");
    // and a DELETE after it joins too
    Answer deleted = door.call("DELETE", USERS + "/carol").bearer(TOKEN).send();
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(onlyOffboardingOf("carol").get("id").asText()).isEqualTo(carols.get("id").asText());

    // DELETE on its own starts one
    assertThat(door.call("DELETE", USERS + "/olivia").bearer(TOKEN).send().status()).isEqualTo(204);
    assertThat(onlyOffboardingOf("olivia").get("reason").asText()).contains("SCIM DELETE");

    for (String person : List.of("alice", "bob", "carol", "olivia")) {
      JsonNode read =
          door.call("GET", USERS + "?filter=" + query("userName eq \"" + person + "\""))
              .bearer(TOKEN)
              .send()
              .json();
      assertThat(read.get("Resources").get(0).get("active").asBoolean())
          .as(person + " reads back inactive")
          .isFalse();
    }
    JsonNode requested =
        door.call("GET", "/api/audit?action=offboarding.requested&actor=scim&size=50")
            .as("frank")
            .send()
            .json();
    assertThat(requested.get("totalItems").asInt()).isEqualTo(4);
  }

  private static void assertDeactivated(Answer answer, String username) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/scim+json");
    JsonNode user = answer.json();
    assertThat(user.get("id").asText()).isEqualTo(username);
    assertThat(user.get("active").asBoolean()).isFalse();
  }

  /** The person's one offboarding, as an HR system reads it over Portcullis' API. */
  private JsonNode onlyOffboardingOf(String username) {
    Answer answer =
        door.call("GET", "/api/offboardings?username=" + username).as("hr-system").send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode items = answer.json().get("items");
    assertThat(items).as(answer.body()).hasSize(1);
    return items.get(0);
  }

  @Test
  void aPersonIsFoundByUserNameInAnyCaseAndReadByTheDirectorysName() {
    for (String asked : List.of("erin", "ERIN", "Erin")) {
      Answer found =
          door.call("GET", USERS + "?filter=" + query("userName eq \"" + asked + "\""))
              .bearer(TOKEN)
              .send();
      assertThat(found.status()).as(asked).isEqualTo(200);
      assertThat(found.contentType()).startsWith("application/scim+json");
      JsonNode list = found.json();
      assertThat(list.get("schemas").get(0).asText())
          .isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
      assertThat(list.get("totalResults").asInt()).isEqualTo(1);
      assertThat(list.get("itemsPerPage").asInt()).isEqualTo(1);
      assertThat(list.get("startIndex").asInt()).isEqualTo(1);
      assertErin(list.get("Resources").get(0));
    }
    Answer one =
        door.call("GET", USERS + "/erin").bearer(TOKEN).header("Accept", "application/json").send();
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.contentType()).startsWith("application/scim+json");
    assertErin(one.json());
    assertThat(door.call("GET", USERS + "/ERIN").bearer(TOKEN).send().json().get("id").asText())
        .isEqualTo("erin");

    JsonNode nobody =
        door.call("GET", USERS + "?filter=" + query("userName eq \"nobody\""))
            .bearer(TOKEN)
            .send()
            .json();
    assertThat(nobody.get("totalResults").asInt()).isZero();
    assertThat(nobody.get("Resources")).isEmpty();
    // a name no directory login could have is nobody too, not an error: Entra's test asks for a
    // random one
    assertThat(
            door.call("GET", USERS + "?filter=" + query("userName eq \"*)(uid=*\""))
                .bearer(TOKEN)
                .send()
                .json()
                .get("totalResults")
                .asInt())
        .isZero();
    JsonNode paged =
        door.call(
                "GET",
                USERS + "?filter=" + query("userName eq \"erin\"") + "&startIndex=2&count=10")
            .bearer(TOKEN)
            .send()
            .json();
    assertThat(paged.get("totalResults").asInt()).isEqualTo(1);
    assertThat(paged.get("Resources")).isEmpty();
  }

  /**
   * Okta's connection test and import list people without a filter: a page at a time, in the order
   * of their names.
   */
  @Test
  void withoutAFilterEveryoneIsListedPageByPage() {
    JsonNode first = door.call("GET", USERS + "?startIndex=1&count=2").bearer(TOKEN).send().json();
    assertThat(first.get("totalResults").asInt()).isEqualTo(8);
    assertThat(first.get("itemsPerPage").asInt()).isEqualTo(2);
    assertThat(first.get("startIndex").asInt()).isEqualTo(1);
    assertThat(first.get("Resources").findValuesAsText("id")).containsExactly("alice", "bob");
    JsonNode rest = door.call("GET", USERS + "?startIndex=3").bearer(TOKEN).send().json();
    assertThat(rest.get("Resources").findValuesAsText("userName"))
        .containsExactly("carol", "dave", "erin", "frank", "hr-system", "olivia");
    JsonNode all = door.call("GET", USERS).bearer(TOKEN).send().json();
    assertThat(all.get("itemsPerPage").asInt()).isEqualTo(8);
    assertErin(all.get("Resources").get(4));
    JsonNode none = door.call("GET", USERS + "?count=0").bearer(TOKEN).send().json();
    assertThat(none.get("totalResults").asInt()).isEqualTo(8);
    assertThat(none.get("Resources")).isEmpty();
    assertThat(
            door.call("GET", USERS + "?startIndex=9").bearer(TOKEN).send().json().get("Resources"))
        .isEmpty();
  }

  private static void assertErin(JsonNode user) {
    assertThat(user.get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:schemas:core:2.0:User");
    assertThat(user.get("id").asText()).isEqualTo("erin");
    assertThat(user.get("userName").asText()).isEqualTo("erin");
    assertThat(user.get("name").get("givenName").asText()).isEqualTo("Erin");
    assertThat(user.get("name").get("familyName").asText()).isEqualTo("Evans");
    assertThat(user.get("displayName").asText()).isEqualTo("Erin Evans");
    assertThat(user.get("emails").get(0).get("value").asText()).isEqualTo("erin@portcullis.demo");
    assertThat(user.get("active").asBoolean()).isTrue();
    assertThat(user.get("meta").get("resourceType").asText()).isEqualTo("User");
    assertThat(user.get("meta").get("location").asText())
        .isEqualTo("https://scim.portcullis.test/scim/v2/Users/erin");
  }

  @Test
  void withoutTheTokenNothingAnswersAndEachWrongTokenIsAuditedWithoutIt() {
    Answer none = door.call("GET", USERS + "/erin").send();
    assertScimError(none, 401, null);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");

    String guess = "scim-demo-tokem-guess-" + System.nanoTime();
    for (Door.Call call :
        List.of(
            door.call("PATCH", USERS + "/erin")
                .bearer(guess)
                .raw(DEACTIVATE, "application/scim+json"),
            door.call("GET", USERS + "/erin").header("Authorization", "Bearer"),
            door.call("GET", USERS + "/erin").header("Authorization", "bearer " + guess),
            door.call("GET", USERS + "/erin").header("Authorization", guess),
            // a directory login opens nothing here, not even an admin's
            door.call("PATCH", USERS + "/erin").as("dave").raw(DEACTIVATE, "application/scim+json"),
            door.call("GET", "/scim/v2/ServiceProviderConfig").as("hr-system"))) {
      Answer refused = call.send();
      assertScimError(refused, 401, null);
      assertThat(refused.header("WWW-Authenticate"))
          .isEqualTo("Bearer realm=\"Portcullis SCIM\", error=\"invalid_token\"");
    }
    JsonNode failed =
        door.call("GET", "/api/audit?action=login.failed&size=100")
            .as("frank")
            .send()
            .json()
            .get("items");
    assertThat(
            failed.findValues("details").stream()
                .filter(d -> "scim".equals(d.path("door").asText()))
                .count())
        .isEqualTo(6);
    assertThat(failed.toString()).doesNotContain(guess).doesNotContain("dave-demo");
    assertThat(door.call("GET", USERS + "/erin").bearer(TOKEN).send().status())
        .as("nothing throttled at these numbers")
        .isEqualTo(200);
  }

  @Test
  void theTokenOpensNoOtherDoor() {
    assertThat(door.call("GET", "/api/catalog").bearer(TOKEN).send().status()).isEqualTo(401);
    assertThat(
            door.call("POST", "/api/offboardings")
                .bearer(TOKEN)
                .json(Map.of("username", "erin", "reason", "x", "hrReference", "r"))
                .send()
                .status())
        .isEqualTo(401);
    assertThat(door.call("GET", "/engine-rest/task").bearer(TOKEN).send().status()).isEqualTo(401);
    assertThat(
            door.call("GET", WebappPath.DEFAULT + "/api/engine/engine/default/task")
                .bearer(TOKEN)
                .send()
                .status())
        .isEqualTo(401);
    assertThat(door.call("GET", "/actuator/metrics").bearer(TOKEN).send().status()).isEqualTo(401);
  }

  @Test
  void anUnknownPersonIs404AndNothingStarts() {
    for (Door.Call call :
        List.of(
            door.call("PATCH", USERS + "/nobody")
                .bearer(TOKEN)
                .raw(DEACTIVATE, "application/scim+json"),
            door.call("PUT", USERS + "/nobody")
                .bearer(TOKEN)
                .json(Map.of("userName", "nobody", "active", false)),
            door.call("DELETE", USERS + "/nobody").bearer(TOKEN),
            door.call("GET", USERS + "/nobody").bearer(TOKEN),
            door.call("GET", USERS + "/no%20body").bearer(TOKEN))) {
      assertScimError(call.send(), 404, null);
    }
  }

  @Test
  void aBodyThatIsNoDeactivationIsRefusedWithItsScimType() {
    assertScimError(
        door.call("PATCH", USERS + "/erin")
            .bearer(TOKEN)
            .raw("{\"schemas\":[", "application/scim+json")
            .send(),
        400,
        "invalidSyntax");
    assertScimError(
        door.call("PATCH", USERS + "/erin").bearer(TOKEN).raw("", "application/scim+json").send(),
        400,
        "invalidSyntax");
    assertScimError(
        door.call("PUT", USERS + "/erin")
            .bearer(TOKEN)
            .raw("{\"active\":fals}", "application/json")
            .send(),
        400,
        "invalidSyntax");
    assertScimError(
        door.call("PATCH", USERS + "/erin")
            .bearer(TOKEN)
            .raw(DEACTIVATE.replace("false", "true"), "application/scim+json")
            .send(),
        400,
        "mutability");
    assertScimError(
        door.call("PATCH", USERS + "/erin")
            .bearer(TOKEN)
            .raw(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"name.familyName\",\"value\":\"Evans-Smith\"}]}",
                "application/scim+json")
            .send(),
        400,
        "mutability");
    assertScimError(
        door.call("PUT", USERS + "/erin")
            .bearer(TOKEN)
            .json(Map.of("userName", "erin", "active", true))
            .send(),
        400,
        "mutability");
    assertScimError(
        door.call("PATCH", USERS + "/erin")
            .bearer(TOKEN)
            .raw(
                "{\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}",
                "application/scim+json")
            .send(),
        400,
        "invalidSyntax");
    assertScimError(
        door.call("PATCH", USERS + "/erin").bearer(TOKEN).raw(DEACTIVATE, "text/plain").send(),
        415,
        null);
    JsonNode erin = door.call("GET", USERS + "/erin").bearer(TOKEN).send().json();
    assertThat(erin.get("active").asBoolean()).as("nothing of it was done").isTrue();
  }

  /**
   * Strict JSON at the SCIM door too (issue 24, finding 12): a body that names an attribute twice
   * means one thing to a proxy or a log that reads the first and another to a reader that takes the
   * last, so it is refused whole; so are a JSON null and a second body after the first. Nothing
   * starts.
   */
  @Test
  void aBodyThatSaysTwoThingsIsRefusedAndNothingStarts() {
    String patchOp = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],";
    for (String body :
        List.of(
            patchOp
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":true,\"value\":false}]}",
            patchOp
                + "\"Operations\":[{\"op\":\"add\",\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
            patchOp
                + "\"Operations\":[],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}",
            patchOp
                + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":true,\"active\":false}}]}",
            DEACTIVATE + " " + DEACTIVATE.replace("false", "true"))) {
      Answer refused =
          door.call("PATCH", USERS + "/frank")
              .bearer(TOKEN)
              .raw(body, "application/scim+json")
              .send();
      assertScimError(refused, 400, "invalidSyntax");
    }
    Answer twice =
        door.call("PUT", USERS + "/frank")
            .bearer(TOKEN)
            .raw(
                "{\"userName\":\"frank\",\"active\":true,\"active\":false}",
                "application/scim+json")
            .send();
    assertScimError(twice, 400, "invalidSyntax");
    assertThat(twice.json().get("detail").asText())
        .isEqualTo("The body gives \"active\" twice; each attribute is given once.");
    assertScimError(
        door.call("PATCH", USERS + "/frank")
            .bearer(TOKEN)
            .raw("null", "application/scim+json")
            .send(),
        400,
        "invalidSyntax");
    assertThat(
            door.call("GET", USERS + "/frank")
                .bearer(TOKEN)
                .send()
                .json()
                .get("active")
                .asBoolean())
        .as("nothing of it was done")
        .isTrue();
    assertThat(
            door.call("GET", "/api/offboardings?username=frank")
                .as("dave")
                .send()
                .json()
                .get("totalItems")
                .asLong())
        .isZero();
  }

  /** A raw {@code {} or {@code \} in the request line, which Tomcat refuses before the request has an address: a SCIM error too. */
  @Test
  void aRawBraceOrBackslashInTheRequestLineIsASCIMError() {
    for (String target :
        List.of(
            USERS + "?filter={",
            USERS + "?filter=userName%20eq%20%22x%5C%22%7D\\",
            USERS + "/{erin}",
            "/scim?x=|")) {
      Answer refused =
          RawRequest.send(port, "GET", target, Map.of("Authorization", "Bearer " + TOKEN));
      assertScimError(refused, 400, null);
    }
  }

  @Test
  void filtersOtherThanUserNameEqAreRefused() {
    for (String filter :
        List.of(
            "userName co \"er\"",
            "externalId eq \"erin\"",
            "userName eq \"erin\" or userName eq \"bob\"",
            "emails[type eq \"work\"].value eq \"erin@portcullis.demo\"",
            "userName eq erin")) {
      assertScimError(
          door.call("GET", USERS + "?filter=" + query(filter)).bearer(TOKEN).send(),
          400,
          "invalidFilter");
    }
    assertScimError(
        door.call("GET", USERS + "?filter=" + query("userName eq \"erin\"") + "&count=ten")
            .bearer(TOKEN)
            .send(),
        400,
        "invalidValue");
  }

  /**
   * A filter of a few thousand characters, plain or made of escapes, is a filter this door does not
   * answer: never a 500.
   */
  @Test
  void aLongFilterIsRefusedAsAFilterNotAnError() {
    // (each within the request line Tomcat takes, 8 KiB once encoded)
    for (String filter :
        List.of(
            "userName eq \"" + "e".repeat(2_000) + "\"",
            "userName eq \"" + "e".repeat(5_000),
            "userName eq \"" + "\\\"".repeat(600) + "\"",
            "userName eq \"erin\"" + " ".repeat(1_500))) {
      Answer refused = door.call("GET", USERS + "?filter=" + query(filter)).bearer(TOKEN).send();
      assertScimError(refused, 400, "invalidFilter");
      assertThat(refused.json().get("detail").asText()).contains("1000 characters");
    }
    assertThat(
            door.call("GET", USERS + "?filter=" + query("userName eq \"erin\""))
                .bearer(TOKEN)
                .send()
                .status())
        .isEqualTo(200);
  }

  @Test
  void whatTheDoorDoesNotDoIsASCIMErrorToo() {
    assertScimError(
        door.call("POST", USERS)
            .bearer(TOKEN)
            .json(Map.of("userName", "newcomer", "active", true))
            .send(),
        501,
        null);
    assertScimError(door.call("GET", "/scim/v2/Groups").bearer(TOKEN).send(), 501, null);
    assertScimError(
        door.call("PATCH", "/scim/v2/Groups/developers").bearer(TOKEN).json(Map.of()).send(),
        501,
        null);
    assertScimError(
        door.call("POST", "/scim/v2/Bulk").bearer(TOKEN).json(Map.of()).send(), 501, null);
    assertScimError(door.call("GET", "/scim/v2/Schemas").bearer(TOKEN).send(), 501, null);
    assertScimError(
        door.call("POST", USERS + "/.search").bearer(TOKEN).json(Map.of()).send(), 501, null);
    Answer wrongMethod = door.call("POST", USERS + "/erin").bearer(TOKEN).json(Map.of()).send();
    assertScimError(wrongMethod, 405, null);
    assertThat(wrongMethod.header("Allow")).contains("PATCH");
    assertScimError(door.call("GET", "/scim/v2/Nothing").bearer(TOKEN).send(), 404, null);
    assertScimError(door.call("GET", "/scim/v1/Users").bearer(TOKEN).send(), 404, null);
    assertScimError(door.call("GET", "/scim/v2/Users/%2e%2e/erin").bearer(TOKEN).send(), 400, null);

    Answer config = door.call("GET", "/scim/v2/ServiceProviderConfig").bearer(TOKEN).send();
    assertThat(config.status()).isEqualTo(200);
    assertThat(config.contentType()).startsWith("application/scim+json");
    assertThat(config.json().get("patch").get("supported").asBoolean()).isTrue();
    assertThat(config.json().get("authenticationSchemes").get(0).get("type").asText())
        .isEqualTo("oauthbearertoken");
  }

  /**
   * Every address the SCIM door maps, as the application maps them (so a new one is walked too),
   * with every method and every kind of credential: nothing but the token gets in, nothing answers
   * 5xx but the 501s of what is not done, and every refusal is a SCIM error.
   */
  @Test
  void everyScimAddressWithEveryMethodAndCredential() {
    Set<String> patterns = new TreeSet<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(p -> p.startsWith("/scim/"))
                    .forEach(patterns::add));
    assertThat(patterns)
        .contains(USERS, USERS + "/{id}", "/scim/v2/ServiceProviderConfig", "/scim/v2/Groups/**");
    List<String> wrong = new ArrayList<>();
    for (String pattern : patterns) {
      String path = pattern.replace("{id}", "nobody").replace("**", "x");
      for (String method :
          List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")) {
        for (String credential : Arrays.asList(null, "token", "wrong", "basic")) {
          Door.Call call = door.call(method, path);
          if ("token".equals(credential)) {
            call.bearer(TOKEN);
          } else if ("wrong".equals(credential)) {
            call.bearer("not-the-token");
          } else if ("basic".equals(credential)) {
            call.as("dave");
          }
          if (!Set.of("GET", "HEAD", "OPTIONS", "TRACE").contains(method)) {
            call.raw("{}", "application/scim+json");
          }
          Answer answer = call.send();
          int status = answer.status();
          String what = method + " " + path + " with " + credential + ": " + status;
          if ("TRACE".equals(method)) {
            // Tomcat refuses TRACE itself, before any filter
            if (status < 400 || status >= 500) {
              wrong.add(what);
            }
            continue;
          }
          if (!"token".equals(credential) && status != 401) {
            wrong.add(what + ", expected 401");
          }
          if (status >= 500 && status != 501) {
            wrong.add(what);
          }
          if (status >= 400
              && !"HEAD".equals(method)
              && !answer.contentType().startsWith("application/scim+json")) {
            wrong.add(what + " answered as " + answer.contentType());
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  static void assertScimError(Answer answer, int status, String scimType) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.body()).startsWith("application/scim+json");
    JsonNode error = answer.json();
    assertThat(error.get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(error.get("status").isTextual()).isTrue();
    assertThat(error.get("status").asText()).isEqualTo(String.valueOf(status));
    assertThat(error.get("detail").asText())
        .isNotBlank()
        .doesNotContain("io.portcullis")
        .doesNotContain("Exception");
    if (scimType == null) {
      assertThat(error.has("scimType")).as(answer.body()).isFalse();
    } else {
      assertThat(error.get("scimType").asText()).isEqualTo(scimType);
    }
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
