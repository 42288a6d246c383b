package io.portcullis.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A caller at one of the product's HTTP doors, as an attacker or a client would be: any method, any
 * header, any body, with or without credentials, and, for the webapps, with a cookie session.
 */
public final class Door {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient client;
  private final CookieManager cookies = new CookieManager();

  public Door(int port) {
    this.base = "http://localhost:" + port;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** The demo password of a demo user. */
  public static String demo(String user) {
    return user + "-demo";
  }

  public Call call(String method, String path) {
    return new Call(method, path);
  }

  /** The webapps' login, as their page makes it: a first GET for the XSRF token, then the form. */
  public Answer webappLogin(String app, String user, String password) {
    return webappLogin(app, user, password, null);
  }

  /**
   * The webapps' login through a proxy that names the client's address in {@code X-Forwarded-For}
   * (null: none).
   */
  public Answer webappLogin(String app, String user, String password, String forwardedFor) {
    call("GET", WebappPath.DEFAULT + "/app/" + app + "/").from(forwardedFor).send();
    return call("POST", WebappPath.DEFAULT + "/api/admin/auth/user/default/login/" + app)
        .from(forwardedFor)
        .header("X-XSRF-TOKEN", xsrfToken())
        .form(
            "username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8))
        .send();
  }

  /** The XSRF token that the webapps last handed out in a cookie. */
  public String xsrfToken() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("XSRF-TOKEN"))
        .reduce((a, b) -> b)
        .map(HttpCookie::getValue)
        .orElseThrow();
  }

  /** One request being put together. */
  public final class Call {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;

    Call(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Call as(String user) {
      return as(user, demo(user));
    }

    public Call as(String user, String password) {
      return header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code Authorization: Bearer}, as a system client (the SCIM door's identity provider) sends
     * its token.
     */
    public Call bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    public Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * {@code X-Forwarded-For}, as a proxy in front of Portcullis names the client it forwards
     * (null: none). Portcullis believes it only when this caller is a trusted proxy ({@code
     * server.tomcat.remoteip.*}).
     */
    public Call from(String forwardedFor) {
      return forwardedFor == null ? this : header("X-Forwarded-For", forwardedFor);
    }

    public Call json(Object value) {
      try {
        body = JSON.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new IllegalArgumentException(e);
      }
      return header("Content-Type", "application/json");
    }

    /** A body as it is, for bodies no serializer writes (malformed JSON, say). */
    public Call raw(String content, String contentType) {
      body = content.getBytes(StandardCharsets.UTF_8);
      return header("Content-Type", contentType);
    }

    public Call form(String encoded) {
      body = encoded.getBytes(StandardCharsets.UTF_8);
      return header("Content-Type", "application/x-www-form-urlencoded");
    }

    /**
     * A {@code multipart/form-data} body as Camunda Modeler and {@code curl -F} send it: each text
     * part a plain field, each file part named by its file name.
     */
    public Call multipart(Map<String, String> fields, Map<String, byte[]> files) {
      String boundary = "portcullis-" + UUID.randomUUID();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      fields.forEach(
          (name, value) ->
              out.writeBytes(
                  ("--"
                          + boundary
                          + "\r\nContent-Disposition: form-data; name=\""
                          + name
                          + "\"\r\n\r\n"
                          + value
                          + "\r\n")
                      .getBytes(StandardCharsets.UTF_8)));
      files.forEach(
          (fileName, content) -> {
            out.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + fileName
                        + "\"; filename=\""
                        + fileName
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
          });
      out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      body = out.toByteArray();
      return header("Content-Type", "multipart/form-data; boundary=" + boundary);
    }

    public Answer send() {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(request::header);
      try {
        HttpResponse<String> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
            response.statusCode(),
            response.body(),
            response.headers().firstValue("Content-Type").orElse(""),
            response.headers().firstValue("Retry-After").orElse(null),
            response.headers());
      } catch (IOException e) {
        throw new IllegalStateException(method + " " + path + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** What came back. */
  public record Answer(
      int status, String body, String contentType, String retryAfter, HttpHeaders headers) {

    /** The first value of a header of the answer, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }
}
