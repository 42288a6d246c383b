package io.portcullis.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * The bodies Okta and Entra send to deactivate, read as a deactivation; everything else refused,
 * with the RFC's scimType.
 */
class DeactivationTests {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String PATCH_OP = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]";

  @Test
  void patch_whenItSetsActiveFalseAsOktaOrEntraSendIt_thenItIsADeactivation() {
    for (String operations :
        new String[] {
          "{\"op\":\"replace\",\"value\":{\"active\":false}}",
          "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}",
          "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}",
          "{\"op\":\"Replace\",\"value\":{\"active\":\"False\"}}",
          "{\"op\":\"add\",\"path\":\"Active\",\"value\":false}",
          "{\"op\":\"REPLACE\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:active\",\"value\":false}"
        }) {
      assertThatCode(() -> Deactivation.ofPatch(patch(operations)))
          .as(operations)
          .doesNotThrowAnyException();
    }
    // Entra's order of the fields, and attribute names in another case
    assertThatCode(
            () ->
                Deactivation.ofPatch(
                    json(
                        "{\"operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":false}],"
                            + "\"Schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]}")))
        .doesNotThrowAnyException();
  }

  @Test
  void patch_whenItReactivates_thenMutability() {
    for (String operations :
        new String[] {
          "{\"op\":\"replace\",\"value\":{\"active\":true}}",
          "{\"op\":\"replace\",\"path\":\"active\",\"value\":true}",
          "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"True\"}"
        }) {
      assertRefused(
          () -> Deactivation.ofPatch(patch(operations)), ScimException.MUTABILITY, operations);
    }
  }

  @Test
  void patch_whenItTouchesAnythingButActive_thenMutabilityAndNothingOfItCounts() {
    for (String operations :
        new String[] {
          "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Erin\"}",
          "{\"op\":\"Replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"e@example.com\"}",
          "{\"op\":\"replace\",\"value\":{\"active\":false,\"displayName\":\"Erin\"}}",
          "{\"op\":\"replace\",\"path\":\"active\",\"value\":false},{\"op\":\"replace\",\"path\":\"name.familyName\",\"value\":\"E\"}",
          "{\"op\":\"remove\",\"path\":\"active\"}",
          "{\"op\":\"Remove\",\"path\":\"displayName\"}"
        }) {
      assertRefused(
          () -> Deactivation.ofPatch(patch(operations)), ScimException.MUTABILITY, operations);
    }
  }

  @Test
  void patch_whenItIsNoPatchOp_thenInvalidSyntax() {
    for (String body :
        new String[] {
          "[]",
          "\"active\"",
          "{\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}",
          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}",
          "{" + PATCH_OP + "}",
          "{" + PATCH_OP + ",\"Operations\":[]}",
          "{" + PATCH_OP + ",\"Operations\":{\"op\":\"replace\"}}",
          "{" + PATCH_OP + ",\"Operations\":[\"replace\"]}",
          "{"
              + PATCH_OP
              + ",\"Operations\":[{\"op\":\"move\",\"path\":\"active\",\"value\":false}]}",
          "{" + PATCH_OP + ",\"Operations\":[{\"path\":\"active\",\"value\":false}]}"
        }) {
      assertRefused(() -> Deactivation.ofPatch(json(body)), ScimException.INVALID_SYNTAX, body);
    }
  }

  @Test
  void patch_whenTheValueIsNoBoolean_thenInvalidValue() {
    for (String operations :
        new String[] {
          "{\"op\":\"replace\",\"path\":\"active\",\"value\":0}",
          "{\"op\":\"replace\",\"path\":\"active\",\"value\":\"no\"}",
          "{\"op\":\"replace\",\"path\":\"active\"}",
          "{\"op\":\"replace\",\"path\":\"active\",\"value\":null}",
          "{\"op\":\"replace\",\"value\":{}}",
          "{\"op\":\"replace\",\"value\":false}"
        }) {
      assertRefused(
          () -> Deactivation.ofPatch(patch(operations)), ScimException.INVALID_VALUE, operations);
    }
  }

  @Test
  void put_whenActiveIsFalse_thenADeactivationWhateverElseItSays() {
    assertThatCode(
            () ->
                Deactivation.ofPut(
                    json(
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"erin\","
                            + "\"userName\":\"erin\",\"name\":{\"givenName\":\"Erin\",\"familyName\":\"Evans\"},"
                            + "\"emails\":[{\"primary\":true,\"value\":\"erin@portcullis.demo\",\"type\":\"work\"}],\"active\":false}")))
        .doesNotThrowAnyException();
    assertThatCode(() -> Deactivation.ofPut(json("{\"Active\":\"false\"}")))
        .doesNotThrowAnyException();
  }

  @Test
  void put_whenItDoesNotDeactivate_thenRefused() {
    assertRefused(
        () -> Deactivation.ofPut(json("{\"userName\":\"erin\",\"active\":true}")),
        ScimException.MUTABILITY,
        "active true");
    assertRefused(
        () -> Deactivation.ofPut(json("{\"userName\":\"erin\",\"displayName\":\"E\"}")),
        ScimException.MUTABILITY,
        "no active");
    assertRefused(
        () -> Deactivation.ofPut(json("{\"active\":\"maybe\"}")),
        ScimException.INVALID_VALUE,
        "not a boolean");
    assertRefused(
        () -> Deactivation.ofPut(json("[false]")), ScimException.INVALID_SYNTAX, "not an object");
  }

  static JsonNode patch(String operations) {
    return json("{" + PATCH_OP + ",\"Operations\":[" + operations + "]}");
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalArgumentException(body, e);
    }
  }

  static void assertRefused(ThrowableAssert.ThrowingCallable call, String scimType, String what) {
    ScimException refused = catchThrowableOfType(ScimException.class, call);
    assertThat(refused).as(what).isNotNull();
    assertThat(refused.status()).as(what).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(refused.error().scimType()).as(what).isEqualTo(scimType);
    assertThat(refused.error().status()).isEqualTo("400");
  }
}
