package io.portcullis.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Keycloak for the keycloak-group tests: the distribution zip from Maven Central, which the
 * Maven profile {@code -Pkeycloak} unpacks into {@code target/keycloak} (system property {@code
 * portcullis.test.keycloak.home}), started once per test JVM with {@code kc.sh start-dev} on free
 * ports, loopback only, its dev-file database in that directory, and stopped when the JVM ends.
 *
 * <p>At start it makes the test realm afresh: the groups {@code /engineering/prod-readers}, {@code
 * /engineering/staging-writers} and {@code /support}; the confidential client {@code portcullis}
 * whose service account has exactly the roles the README names ({@code manage-users}, {@code
 * view-users}); a confidential client {@code app} that users log in to by the password grant, and
 * which introspects tokens; and a client {@code no-roles} whose service account has none. People
 * are made per test ({@link #createUser}).
 */
public final class KeycloakServer {

  public static final String REALM = "portcullis-test";
  public static final String CLIENT_ID = "portcullis";
  public static final String CLIENT_SECRET = "kc-test-service-secret-7f3a";
  public static final String APP = "app";
  public static final String APP_SECRET = "kc-test-app-secret-91c2";
  public static final String NO_ROLES = "no-roles";
  public static final String NO_ROLES_SECRET = "kc-test-no-roles-secret-44d0";
  public static final String PASSWORD = "Passw0rd-for-tests";
  public static final List<String> SERVICE_ROLES = List.of("manage-users", "view-users");

  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD =
      "kc-test-admin-" + Long.toHexString(System.nanoTime());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KeycloakServer instance;

  /**
   * Why the one start failed: every later test fails with it at once rather than starting another
   * server.
   */
  private static RuntimeException failedStart;

  private final Process process;
  private final int port;
  private final Duration startup;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String adminToken;
  private Instant adminTokenUntil = Instant.MIN;

  private KeycloakServer(Process process, int port, Duration startup) {
    this.process = process;
    this.port = port;
    this.startup = startup;
  }

  /** The server of this JVM, started on first use. */
  public static synchronized KeycloakServer get() {
    if (failedStart != null) {
      throw failedStart;
    }
    if (instance == null) {
      try {
        instance = start();
        instance.makeRealm();
      } catch (RuntimeException e) {
        failedStart = e;
        throw e;
      }
    }
    return instance;
  }

  private static KeycloakServer start() {
    String home = System.getProperty("portcullis.test.keycloak.home");
    if (home == null || !new File(home, "bin/kc.sh").canExecute()) {
      throw new IllegalStateException(
          "no Keycloak distribution at "
              + home
              + ": run the keycloak tests with ./mvnw -Pkeycloak, which unpacks it into target/keycloak");
    }
    // a fresh database each run: no realm left from the last, and the bootstrap admin made with
    // this run's password
    deleteTree(Path.of(home, "data", "h2"));
    int port = freePort();
    int management = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                home + "/bin/kc.sh",
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + management,
                "--health-enabled=true",
                "--db=dev-file")
            .redirectErrorStream(true)
            .redirectOutput(new File(home, "../keycloak-test.log"));
    Map<String, String> env = builder.environment();
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // a good neighbour on a shared machine: Keycloak's default takes 70% of the RAM as heap
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    Instant started = Instant.now();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process)));
    KeycloakServer server = new KeycloakServer(process, port, null);
    await("Keycloak answering on port " + port)
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreException(UncheckedIOException.class) // not listening yet
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "Keycloak stopped at start-up; see " + home + "/../keycloak-test.log");
              }
              return server.status("GET", "/realms/master", null) == 200;
            });
    return new KeycloakServer(process, port, Duration.between(started, Instant.now()));
  }

  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** How long the start took, from {@code kc.sh} to the first answer. */
  public Duration startup() {
    return startup;
  }

  public long pid() {
    return process.pid();
  }

  // --- the test realm

  private void makeRealm() {
    status("DELETE", "/admin/realms/" + REALM, null);
    ObjectNode realm = JSON.createObjectNode().put("realm", REALM).put("enabled", true);
    ArrayNode groups = realm.putArray("groups");
    ObjectNode engineering = groups.addObject().put("name", "engineering");
    engineering
        .putArray("subGroups")
        .add(JSON.createObjectNode().put("name", "prod-readers"))
        .add(JSON.createObjectNode().put("name", "staging-writers"));
    groups.addObject().put("name", "support");
    ArrayNode clients = realm.putArray("clients");
    clients
        .addObject()
        .put("clientId", CLIENT_ID)
        .put("secret", CLIENT_SECRET)
        .put("publicClient", false)
        .put("serviceAccountsEnabled", true)
        .put("standardFlowEnabled", false)
        .put("directAccessGrantsEnabled", false);
    clients
        .addObject()
        .put("clientId", NO_ROLES)
        .put("secret", NO_ROLES_SECRET)
        .put("publicClient", false)
        .put("serviceAccountsEnabled", true)
        .put("standardFlowEnabled", false)
        .put("directAccessGrantsEnabled", false);
    ObjectNode app =
        clients
            .addObject()
            .put("clientId", APP)
            .put("secret", APP_SECRET)
            .put("publicClient", false)
            .put("standardFlowEnabled", false)
            .put("directAccessGrantsEnabled", true);
    // Keycloak 26.7 introspects a token only for a client in its audience (CVE-2026-37979's fix)
    app.putArray("protocolMappers")
        .addObject()
        .put("name", "app-audience")
        .put("protocol", "openid-connect")
        .put("protocolMapper", "oidc-audience-mapper")
        .putObject("config")
        .put("included.client.audience", APP)
        .put("access.token.claim", "true")
        .put("introspection.token.claim", "true");
    ArrayNode users = realm.putArray("users");
    ObjectNode service =
        users
            .addObject()
            .put("username", "service-account-" + CLIENT_ID)
            .put("enabled", true)
            .put("serviceAccountClientId", CLIENT_ID);
    ArrayNode roles = service.putObject("clientRoles").putArray("realm-management");
    SERVICE_ROLES.forEach(roles::add);
    users
        .addObject()
        .put("username", "service-account-" + NO_ROLES)
        .put("enabled", true)
        .put("serviceAccountClientId", NO_ROLES);
    int created = status("POST", "/admin/realms", realm);
    if (created != 201) {
      throw new IllegalStateException("could not create the test realm: " + created);
    }
  }

  /** A new person with {@link #PASSWORD}, in no group, enabled. */
  public String createUser(String username) {
    ObjectNode user =
        JSON.createObjectNode()
            .put("username", username)
            .put("enabled", true)
            .put("email", username + "@example.test")
            .put("emailVerified", true)
            .put("firstName", "Test")
            .put("lastName", username);
    user.putArray("credentials")
        .addObject()
        .put("type", "password")
        .put("value", PASSWORD)
        .put("temporary", false);
    int status = status("POST", admin("users"), user);
    if (status != 201) {
      throw new IllegalStateException("could not create user " + username + ": " + status);
    }
    return username;
  }

  /** The person, made now unless a test in this JVM made them already. */
  public String ensureUser(String username) {
    return read(admin("users") + "?exact=true&username=" + encode(username)).isEmpty()
        ? createUser(username)
        : username;
  }

  public String userId(String username) {
    JsonNode found = read(admin("users") + "?exact=true&username=" + encode(username));
    if (found.size() != 1) {
      throw new IllegalStateException("no single user " + username);
    }
    return found.get(0).path("id").asText();
  }

  public String groupId(String path) {
    return read(admin("group-by-path") + path).path("id").asText();
  }

  /** The user names of the group's direct members, as Keycloak has them. */
  public List<String> members(String path) {
    List<String> names = new ArrayList<>();
    read(admin("groups/" + groupId(path) + "/members") + "?briefRepresentation=true&max=1000")
        .forEach(member -> names.add(member.path("username").asText()));
    return names;
  }

  public void addMember(String username, String path) {
    int status =
        status("PUT", admin("users/" + userId(username) + "/groups/" + groupId(path)), null);
    if (status != 204) {
      throw new IllegalStateException("could not add " + username + " to " + path + ": " + status);
    }
  }

  /** The user's online sessions and, per client, offline sessions, as the admin API lists them. */
  public int sessionsOf(String username) {
    String user = userId(username);
    int sessions = read(admin("users/" + user + "/sessions")).size();
    String app = read(admin("clients") + "?clientId=" + APP).get(0).path("id").asText();
    return sessions + read(admin("users/" + user + "/offline-sessions/" + app)).size();
  }

  /**
   * What the realm holds of the people: every group's members and every user's enabled flag,
   * sorted, so equal exactly when nothing changed.
   */
  public Map<String, Object> state() {
    Map<String, Object> state = new TreeMap<>();
    for (String path :
        List.of(
            "/engineering",
            "/engineering/prod-readers",
            "/engineering/staging-writers",
            "/support")) {
      state.put(path, members(path).stream().sorted().toList());
    }
    read(admin("users") + "?max=10000&briefRepresentation=true")
        .forEach(
            user ->
                state.put(
                    "user " + user.path("username").asText(), user.path("enabled").asBoolean()));
    return state;
  }

  public JsonNode read(String path) {
    try {
      HttpResponse<String> answer = send("GET", path, null);
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + path + ": " + answer.statusCode() + " " + answer.body());
      }
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(String method, String path, JsonNode body) {
    int status = status(method, path, body);
    if (status / 100 != 2) {
      throw new IllegalStateException(method + " " + path + ": " + status);
    }
  }

  public static String admin(String path) {
    return "/admin/realms/" + REALM + "/" + path;
  }

  // --- the OpenID Connect side, as a user's application sees it

  /** The token endpoint's answer to a form posted by the {@code app} client. */
  public HttpResponse<String> token(String... form) {
    return post("/realms/" + REALM + "/protocol/openid-connect/token", form);
  }

  /** A password grant for the user by {@code app}, with the given scope. */
  public HttpResponse<String> passwordGrant(String username, String scope) {
    return token(
        "grant_type", "password", "username", username, "password", PASSWORD, "scope", scope);
  }

  /** A refresh grant by {@code app}. */
  public HttpResponse<String> refresh(String refreshToken) {
    return token("grant_type", "refresh_token", "refresh_token", refreshToken);
  }

  /** Token introspection by {@code app}. */
  public JsonNode introspect(String token) {
    try {
      return JSON.readTree(
          post("/realms/" + REALM + "/protocol/openid-connect/token/introspect", "token", token)
              .body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The userinfo endpoint's status for this access token, as an application asking about its user
   * gets it.
   */
  public int userinfo(String accessToken) {
    HttpRequest request =
        HttpRequest.newBuilder(
                url().resolve("/realms/" + REALM + "/protocol/openid-connect/userinfo"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + accessToken)
            .GET()
            .build();
    return exchange(request).statusCode();
  }

  public static JsonNode json(HttpResponse<String> answer) {
    try {
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> post(String path, String... form) {
    StringBuilder body = new StringBuilder("client_id=" + APP + "&client_secret=" + APP_SECRET);
    for (int i = 0; i < form.length; i += 2) {
      body.append('&').append(form[i]).append('=').append(encode(form[i + 1]));
    }
    HttpRequest request =
        HttpRequest.newBuilder(url().resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return exchange(request);
  }

  // --- plumbing

  private int status(String method, String path, JsonNode body) {
    return send(method, path, body).statusCode();
  }

  private HttpResponse<String> send(String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()))
            .header("Content-Type", "application/json");
    if (path.startsWith("/admin/")) {
      request.header("Authorization", "Bearer " + adminToken());
    }
    return exchange(request.build());
  }

  private synchronized String adminToken() {
    if (Instant.now().isAfter(adminTokenUntil)) {
      String form =
          "grant_type=password&client_id=admin-cli&username="
              + ADMIN
              + "&password="
              + encode(ADMIN_PASSWORD);
      HttpRequest request =
          HttpRequest.newBuilder(url().resolve("/realms/master/protocol/openid-connect/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build();
      JsonNode token = json(exchange(request));
      adminToken = token.path("access_token").asText();
      adminTokenUntil =
          Instant.now().plusSeconds(Math.max(5, token.path("expires_in").asLong() - 20));
    }
    return adminToken;
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
