package io.portcullis.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one change this door makes: a person's {@code active} to false, which starts their
 * offboarding. What Okta and Microsoft Entra ID send for it is read here, leniently where they
 * differ from each other and from RFC 7644 (an {@code op} of any case, {@code "False"} as a string,
 * the value with or without a {@code path}); anything else that would change a person is refused,
 * the whole request with it (a PATCH is all or nothing, RFC 7644 §3.5.2): reactivating ({@code
 * scimType} {@code mutability}), any other attribute (the directory owns them: {@code mutability}),
 * a body that is no PatchOp ({@code invalidSyntax}), a value that is no boolean ({@code
 * invalidValue}).
 */
final class Deactivation {

  private static final Set<String> SETTING_OPS = Set.of("add", "replace");
  private static final String ACTIVE = "active";

  private Deactivation() {}

  /**
   * Checks that a PATCH body deactivates the person and does nothing else.
   *
   * @throws ScimException 400 for any other body
   */
  static void ofPatch(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ScimException.badRequest(
          ScimException.INVALID_SYNTAX, "A PATCH body is a PatchOp: a JSON object.");
    }
    JsonNode schemas = field(body, "schemas").orElse(null);
    if (schemas == null || !schemas.isArray() || !contains(schemas, Scim.PATCH_OP)) {
      throw ScimException.badRequest(
          ScimException.INVALID_SYNTAX,
          "A PATCH body has \"schemas\": [\"" + Scim.PATCH_OP + "\"].");
    }
    JsonNode operations = field(body, "Operations").orElse(null);
    if (operations == null || !operations.isArray() || operations.isEmpty()) {
      throw ScimException.badRequest(
          ScimException.INVALID_SYNTAX,
          "A PATCH body has \"Operations\": a list of at least one operation.");
    }
    for (JsonNode operation : operations) {
      operation(operation);
    }
  }

  /**
   * Checks that a PUT body says {@code active} false. Its other attributes are the directory's,
   * which this door does not write: ignored, as RFC 7644 §3.5.1 has a PUT ignore read-only
   * attributes.
   *
   * @throws ScimException 400 when it does not deactivate
   */
  static void ofPut(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ScimException.badRequest(
          ScimException.INVALID_SYNTAX, "A PUT body is a User: a JSON object.");
    }
    JsonNode active = field(body, ACTIVE).orElseThrow(() -> onlyDeactivation());
    deactivates(active);
  }

  private static void operation(JsonNode operation) {
    if (!operation.isObject()) {
      throw ScimException.badRequest(
          ScimException.INVALID_SYNTAX, "Each operation is a JSON object with \"op\".");
    }
    JsonNode op = field(operation, "op").orElse(null);
    String name = op != null && op.isTextual() ? op.asText().toLowerCase(Locale.ROOT) : "";
    if (name.equals("remove")) {
      throw onlyDeactivation();
    }
    if (!SETTING_OPS.contains(name)) {
      throw ScimException.badRequest(
          ScimException.INVALID_SYNTAX, "An operation's \"op\" is add, replace or remove.");
    }
    JsonNode value = field(operation, "value").orElse(null);
    if (value == null || value.isNull()) {
      throw ScimException.badRequest(
          ScimException.INVALID_VALUE, "An operation that sets an attribute has a \"value\".");
    }
    JsonNode path = field(operation, "path").orElse(null);
    if (path != null && !path.isNull()) {
      if (!path.isTextual() || !isActive(path.asText())) {
        throw onlyDeactivation();
      }
      deactivates(value);
      return;
    }
    // no path: the value holds the attributes to set, by name
    if (!value.isObject() || value.isEmpty()) {
      throw ScimException.badRequest(
          ScimException.INVALID_VALUE,
          "An operation without \"path\" has a \"value\" object of attributes.");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> attribute = it.next();
      if (!isActive(attribute.getKey())) {
        throw onlyDeactivation();
      }
      deactivates(attribute.getValue());
    }
  }

  /** false, or Entra's "False": anything else is no deactivation. */
  private static void deactivates(JsonNode active) {
    if (active.isBoolean()
        ? !active.booleanValue()
        : active.isTextual() && active.asText().equalsIgnoreCase("false")) {
      return;
    }
    if (active.isBoolean() || (active.isTextual() && active.asText().equalsIgnoreCase("true"))) {
      throw ScimException.badRequest(
          ScimException.MUTABILITY,
          "Portcullis only deactivates people (active false, which starts their offboarding); reactivating is done in the directory.");
    }
    throw ScimException.badRequest(
        ScimException.INVALID_VALUE, "active is a boolean: false deactivates the person.");
  }

  private static ScimException onlyDeactivation() {
    return ScimException.badRequest(
        ScimException.MUTABILITY,
        "Portcullis changes one attribute of a User: active, to false (which starts their offboarding). "
            + "The others are the directory's; in the identity provider, map only userName and active.");
  }

  /** {@code active}, in any case, with or without the User schema before it (RFC 7644 §3.10). */
  private static boolean isActive(String attribute) {
    String name = attribute.strip();
    String prefix = Scim.USER_SCHEMA + ":";
    if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
      name = name.substring(prefix.length());
    }
    return name.equalsIgnoreCase(ACTIVE);
  }

  /**
   * Attribute names are case-insensitive (RFC 7643 §2.1), the structural ones of a PatchOp
   * included.
   */
  private static Optional<JsonNode> field(JsonNode object, String name) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equalsIgnoreCase(name)) {
        return Optional.of(field.getValue());
      }
    }
    return Optional.empty();
  }

  private static boolean contains(JsonNode array, String urn) {
    for (JsonNode item : array) {
      if (item.isTextual() && item.asText().equalsIgnoreCase(urn)) {
        return true;
      }
    }
    return false;
  }
}
