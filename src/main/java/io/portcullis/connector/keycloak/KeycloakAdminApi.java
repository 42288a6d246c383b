package io.portcullis.connector.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.connector.ConnectorException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Keycloak's admin REST API as the connector needs it, over plain HTTP: a service-account token by
 * the client-credentials grant, kept until shortly before it expires and taken again after a 401,
 * and JSON calls with a short timeout. Every failure that may pass (Keycloak down, slow, 5xx, 429)
 * is a {@link ConnectorException}; a 404 is an answer ({@link Optional#empty()}), for the caller to
 * say what is missing. No token, secret or request body is ever put in a message.
 */
final class KeycloakAdminApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A token is taken again this long before Keycloak says it expires. */
  private static final long EXPIRY_MARGIN_SECONDS = 10;

  private final KeycloakGroupSettings settings;
  private final HttpClient http;
  private final Clock clock;
  private volatile Token token;

  KeycloakAdminApi(KeycloakGroupSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  private record Token(String value, Instant renewAt) {
    @Override
    public String toString() {
      return "Token[(hidden)]";
    }
  }

  /** A path under {@code /admin/realms/{realm}}, each segment encoded. */
  String path(String... segments) {
    StringBuilder path = new StringBuilder("/admin/realms/").append(encode(settings.realm()));
    for (String segment : segments) {
      path.append('/').append(encode(segment));
    }
    return path.toString();
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Optional<JsonNode> get(String path) {
    return send("GET", path, null).map(KeycloakAdminApi::parse);
  }

  /**
   * A PUT, POST or DELETE whose answer has no body worth reading; empty when Keycloak answered 404.
   */
  Optional<Boolean> change(String method, String path, JsonNode body) {
    return send(method, path, body).map(answer -> Boolean.TRUE);
  }

  private Optional<String> send(String method, String path, JsonNode body) {
    HttpResponse<String> answer = call(method, path, body, bearer(false));
    if (answer.statusCode() == 401) {
      // the token expired or was revoked early: take a new one, once
      answer = call(method, path, body, bearer(true));
    }
    int status = answer.statusCode();
    if (status == 404) {
      return Optional.empty();
    }
    if (status / 100 != 2) {
      throw failure(method + " " + path, answer);
    }
    return Optional.of(answer.body());
  }

  private HttpResponse<String> call(String method, String path, JsonNode body, String bearer) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(settings.base() + path))
            .timeout(settings.timeout())
            .header("Authorization", "Bearer " + bearer)
            .header("Accept", "application/json")
            .method(method, publisher);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return exchange(request.build(), method + " " + path);
  }

  private String bearer(boolean renew) {
    Token current = token;
    if (renew || current == null || !clock.instant().isBefore(current.renewAt())) {
      synchronized (this) {
        current = token;
        if (renew || current == null || !clock.instant().isBefore(current.renewAt())) {
          current = serviceAccountToken();
          token = current;
        }
      }
    }
    return current.value();
  }

  private Token serviceAccountToken() {
    String form =
        "grant_type=client_credentials&client_id="
            + encode(settings.clientId())
            + "&client_secret="
            + encode(settings.clientSecret().reveal());
    URI endpoint =
        URI.create(
            settings.base()
                + "/realms/"
                + encode(settings.realm())
                + "/protocol/openid-connect/token");
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(settings.timeout())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> answer = exchange(request, "the service account's token");
    if (answer.statusCode() != 200) {
      throw failure("the service account's token (client " + settings.clientId() + ")", answer);
    }
    JsonNode granted = parse(answer.body());
    String value = granted.path("access_token").asText(null);
    if (value == null) {
      throw new ConnectorException(
          "Keycloak at "
              + settings.serverUrl()
              + " gave no access token to client "
              + settings.clientId());
    }
    long lifetime = Math.max(0, granted.path("expires_in").asLong(60) - EXPIRY_MARGIN_SECONDS);
    return new Token(value, clock.instant().plusSeconds(lifetime));
  }

  private HttpResponse<String> exchange(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // the exception's text names the host and the failure, never the request's headers or body
      throw new ConnectorException(
          "Keycloak at " + settings.serverUrl() + " did not answer " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectorException("interrupted while calling Keycloak for " + what, e);
    }
  }

  /**
   * Keycloak's own words about a refusal ({@code error}, {@code errorMessage}, {@code
   * error_description}), which name no secret, cut short; never the whole body.
   */
  private ConnectorException failure(String what, HttpResponse<String> answer) {
    String reason = "";
    try {
      JsonNode body = JSON.readTree(answer.body());
      for (String field : new String[] {"error", "errorMessage", "error_description"}) {
        if (body.hasNonNull(field)) {
          reason += (reason.isEmpty() ? ": " : ", ") + body.get(field).asText();
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // an HTML error page or nothing: the status says enough
    }
    if (reason.length() > 200) {
      reason = reason.substring(0, 200) + "...";
    }
    String hint =
        answer.statusCode() == 403
            ? " (the service account lacks a realm-management role, see the README)"
            : "";
    return new ConnectorException(
        "Keycloak at "
            + settings.serverUrl()
            + " answered "
            + answer.statusCode()
            + " to "
            + what
            + reason
            + hint);
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new ConnectorException(
          "Keycloak answered with JSON that could not be read: " + e.getMessage(), e);
    }
  }

  static ObjectMapper json() {
    return JSON;
  }
}
