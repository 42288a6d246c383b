package io.portcullis.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * What the published OpenAPI document says of every operation under {@code /api}, beside what its
 * controller declares: the security schemes (HTTP Basic with directory credentials, or a service
 * account's bearer token) and the 4xx answers that the doors in front of every controller give,
 * each as RFC 9457 problem details. Derived from the operation's shape, so an operation added later
 * is documented the same way without a word of its own:
 *
 * <ul>
 *   <li>every operation: 400 (a path, parameter or body that breaks a rule), 401, 403 (the caller's
 *       role, a refused action, a request from another site), 406 (an {@code Accept} it does not
 *       offer), 429 (too many failed logins for a name from one address, or wrong tokens from one
 *       address);
 *   <li>a path with a variable: 404 (no such object, or one the caller may not see);
 *   <li>a method that changes something: 415 (it takes only a JSON body);
 *   <li>a POST on one object (an action such as approve or cancel): 409 (the object's state does
 *       not allow it now).
 * </ul>
 *
 * A response an operation declares itself is kept as it is.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  static final String SECURITY_SCHEME = "basicAuth";
  static final String TOKEN_SCHEME = "serviceAccountToken";
  static final String PROBLEM = "Problem";
  private static final Set<PathItem.HttpMethod> CHANGING =
      Set.of(
          PathItem.HttpMethod.POST,
          PathItem.HttpMethod.PUT,
          PathItem.HttpMethod.PATCH,
          PathItem.HttpMethod.DELETE);

  /**
   * Status, the name of its shared response, what it means for any operation, and the problem body
   * of its example: a detail and an instance as a door of Portcullis answers them (each status its
   * own, so a client reading the document sees the 409 a revoke gets, not a 400).
   */
  private static final Map<String, String[]> RESPONSES = new LinkedHashMap<>();

  static {
    RESPONSES.put(
        "400",
        new String[] {
          "BadRequest",
          "The path, a parameter or the body breaks a rule (a field unknown or given twice, "
              + "a value of another type, a time that is not ISO-8601 text, a JSON null body); `errors` names each field at fault.",
          "duration: must be at most PT8H for staging-db-admin",
          "/api/access-requests"
        });
    RESPONSES.put(
        "401",
        new String[] {
          "Unauthorized",
          "No credentials, or wrong ones: HTTP Basic with your directory credentials, or a service account's bearer token.",
          "Authentication is required: HTTP Basic with your directory credentials.",
          "/api/access-requests"
        });
    RESPONSES.put(
        "403",
        new String[] {
          "Forbidden",
          "Your role does not allow this, the action is refused to you (deciding your own request, say), or the request came from another site.",
          "Only the requester, an approver of the request or an admin may revoke it.",
          "/api/access-requests/0b9f6c1e-2d4a-4c8e-9f1a-7d2e5b3c4a10/revoke"
        });
    RESPONSES.put(
        "404",
        new String[] {
          "NotFound",
          "No such object, or one you may not see (the two are not told apart).",
          "No access request 0b9f6c1e-2d4a-4c8e-9f1a-7d2e5b3c4a10.",
          "/api/access-requests/0b9f6c1e-2d4a-4c8e-9f1a-7d2e5b3c4a10"
        });
    RESPONSES.put(
        "406",
        new String[] {
          "NotAcceptable",
          "None of the media types in Accept is offered here.",
          "None of the media types in Accept is offered here.",
          "/api/catalog"
        });
    RESPONSES.put(
        "409",
        new String[] {
          "Conflict",
          "The object's state does not allow this now.",
          "The request is EXPIRED; only ACTIVE access, or a grant under way, can be revoked.",
          "/api/access-requests/0b9f6c1e-2d4a-4c8e-9f1a-7d2e5b3c4a10/revoke"
        });
    RESPONSES.put(
        "415",
        new String[] {
          "UnsupportedMediaType",
          "A request that changes something carries a JSON body (Content-Type: application/json).",
          "A request that changes something carries a JSON body: Content-Type: application/json (an empty {} will do).",
          "/api/access-requests"
        });
    RESPONSES.put(
        "429",
        new String[] {
          "TooManyRequests",
          "Too many failed logins for this name from this address, or wrong tokens from it; Retry-After says when to try again.",
          "Too many failed logins for this name from this address; try again later.",
          "/api/access-requests"
        });
    RESPONSES.put(
        "503",
        new String[] {
          "ServiceUnavailable",
          "The directory cannot be reached to check who you are, or the call waited "
              + "past the database's lock timeout behind others; nothing of it was done. Send it again after Retry-After.",
          "Portcullis is busy with other calls on the same records; nothing of this call was done. Send it again after Retry-After.",
          "/api/access-requests"
        });
  }

  @Bean
  OpenApiCustomizer problemsAndSecurityOnEveryOperation() {
    // a duration in any body or answer is what JsonBodies reads: an ISO-8601 string, never a number
    SpringDocUtils.getConfig()
        .replaceWithSchema(
            Duration.class,
            new StringSchema()
                .format("duration")
                .example("PT2H")
                .description("an ISO-8601 duration, as a string"));
    return openApi -> {
      components(openApi);
      if (openApi.getPaths() == null) {
        return;
      }
      openApi
          .getPaths()
          .forEach(
              (path, item) ->
                  item.readOperationsMap()
                      .forEach(
                          (method, operation) -> {
                            // either one: a list of requirements is a choice
                            operation.setSecurity(
                                List.of(
                                    new SecurityRequirement().addList(SECURITY_SCHEME),
                                    new SecurityRequirement().addList(TOKEN_SCHEME)));
                            for (String status : RESPONSES.keySet()) {
                              if (applies(status, path, method)) {
                                ApiResponses responses =
                                    operation.getResponses() == null
                                        ? new ApiResponses()
                                        : operation.getResponses();
                                operation.setResponses(responses);
                                responses.computeIfAbsent(
                                    status,
                                    s ->
                                        new ApiResponse()
                                            .$ref("#/components/responses/" + RESPONSES.get(s)[0]));
                              }
                            }
                          }));
    };
  }

  private static boolean applies(String status, String path, PathItem.HttpMethod method) {
    boolean onOneObject = path.contains("{");
    return switch (status) {
      case "404" -> onOneObject;
      case "409" -> onOneObject && method == PathItem.HttpMethod.POST;
      case "415" -> CHANGING.contains(method);
      default -> true;
    };
  }

  private static void components(OpenAPI openApi) {
    if (openApi.getInfo() == null
        || openApi.getInfo().getTitle() == null
        || openApi.getInfo().getTitle().startsWith("OpenAPI definition")) {
      openApi.setInfo(
          new Info()
              .title("Portcullis API")
              .version("1")
              .description(
                  "Just-in-time access: ask, decide, revoke, audit. Errors are RFC 9457 problem details."));
    }
    Components components =
        openApi.getComponents() == null ? new Components() : openApi.getComponents();
    openApi.setComponents(components);
    components.addSecuritySchemes(
        SECURITY_SCHEME,
        new SecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("basic")
            .description(
                "Your directory name and password (people), or a system account's (HR systems)."));
    components.addSecuritySchemes(
        TOKEN_SCHEME,
        new SecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .description(
                "A service account's token (portcullis.service-accounts.<name>.token-sha256): the directory account <name>, with "
                    + "the role its groups give it. Checked before any throttle: no stranger's failures refuse it."));
    components.addSchemas(PROBLEM, problemSchema());
    RESPONSES.forEach(
        (status, response) ->
            components.addResponses(
                response[0],
                new ApiResponse()
                    .description(response[1])
                    .content(
                        new Content()
                            .addMediaType(
                                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                new MediaType()
                                    .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                                    .example(example(status, response))))));
    components
        .getResponses()
        .get("Unauthorized")
        .addHeaderObject(
            "WWW-Authenticate",
            new Header()
                .description(
                    "Basic realm=\"Portcullis\", charset=\"UTF-8\"; for a wrong bearer token Bearer realm=\"Portcullis\", "
                        + "error=\"invalid_token\"")
                .schema(new StringSchema()));
    components
        .getResponses()
        .get("TooManyRequests")
        .addHeaderObject(
            "Retry-After",
            new Header()
                .description("seconds until a login may be tried again from this address")
                .schema(new IntegerSchema()));
    components
        .getResponses()
        .get("ServiceUnavailable")
        .addHeaderObject(
            "Retry-After",
            new Header()
                .description("seconds to wait before sending the call again")
                .schema(new IntegerSchema()));
  }

  /** The problem body a door answers with this status. */
  private static Map<String, Object> example(String status, String[] response) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", HttpStatus.valueOf(Integer.parseInt(status)).getReasonPhrase());
    problem.put("status", Integer.parseInt(status));
    problem.put("detail", response[2]);
    problem.put("instance", response[3]);
    if (status.equals("400")) {
      problem.put(
          "errors",
          List.of(
              Map.of("field", "duration", "message", "must be at most PT8H for staging-db-admin")));
    }
    return problem;
  }

  /** RFC 9457 problem details, and the {@code errors} that name each field at fault. */
  private static Schema<?> problemSchema() {
    Schema<?> fieldError =
        new ObjectSchema()
            .addProperty(
                "field",
                new StringSchema()
                    .description("the field, parameter or body path at fault, such as duration"))
            .addProperty("message", new StringSchema().description("what is wrong with it"));
    return new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty("type", new StringSchema().format("uri").example("about:blank"))
        .addProperty("title", new StringSchema().description("the status's reason phrase"))
        .addProperty("status", new IntegerSchema().description("the HTTP status"))
        .addProperty(
            "detail",
            new StringSchema()
                .description("what is wrong, in words; a field's name first where one is at fault"))
        .addProperty("instance", new StringSchema().format("uri-reference"))
        .addProperty(
            "errors",
            new ArraySchema().items(fieldError).description("present on a 400 that names fields"));
  }
}
