package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFReader;
import io.portcullis.support.HeldWritesProxy;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grant whose write reached the directory late, across a kill -9 and a restart: nothing is
 * granted twice and nothing is left behind. The product runs in a child JVM ({@link
 * CrashRecoveryTest.Child}, its H2 file kept across the kill); the directory, in this JVM, is
 * reached through {@link HeldWritesProxy}.
 *
 * <p>Two people's grants are held by the proxy while their steps wait for the answer; the product
 * is killed with SIGKILL then (between the grant's call and its commit), and only afterwards does
 * the directory receive and apply both writes. After the restart, each request is PENDING with its
 * first attempt on record: one's retry succeeds and its access ends when the time counted from the
 * first attempt (before the kill) ends; the other's retry is refused by the directory, and an
 * operator deletes its instance through the engine's REST API, which still revokes. Each person is
 * added to the group once (the late write) and removed once.
 */
class LateAppliedGrantRestartTest {

  static final String BASE = "dc=portcullis,dc=demo";
  static final String STAGING = "cn=staging-db-admin,ou=groups," + BASE;

  @TempDir Path work;
  InMemoryDirectoryServer directory;
  HeldWritesProxy proxy;
  final GroupWrites writes = new GroupWrites();
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  CrashRecoveryTest.Child child;

  @BeforeEach
  void startDirectory() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials(
        CrashRecoveryTest.ADMIN_DN, CrashRecoveryTest.ADMIN_PASSWORD);
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    config.addInMemoryOperationInterceptor(writes);
    directory = new InMemoryDirectoryServer(config);
    try (InputStream ldif = getClass().getResourceAsStream("/demo/organisation.ldif")) {
      directory.importFromLDIF(true, new LDIFReader(ldif));
    }
    directory.startListening();
    proxy = new HeldWritesProxy(directory.getListenPort());
  }

  @AfterEach
  void stopAll() {
    if (child != null) {
      child.kill();
    }
    proxy.close();
    directory.shutDown(true);
  }

  @Test
  void lateWritesOfGrantsInFlightAtAKill_nothingIsGrantedTwiceOrLeftBehind() throws Exception {
    person("latera");
    person("lateb");
    child = new CrashRecoveryTest.Child(work, proxy.port(), 1, CrashRecoveryTest.Child.SHORT_CLAIM);
    child.awaitReady();
    // its time outlasts the restart (a few seconds: the killed start's claim to the name is short)
    // with room to spare
    String expiring = ask("latera", "PT20S");
    String deleted = ask("lateb", "PT1H");

    proxy.holdModifiesOf(STAGING);
    approve(expiring);
    approve(deleted);
    assertThat(proxy.awaitHeld(2, Duration.ofMinutes(2)))
        .as("both grants wait for the directory's answer")
        .isTrue();
    Instant killed = Instant.now();
    child.kill();
    proxy.release();
    await().atMost(Duration.ofSeconds(30)).until(() -> isMember("latera") && isMember("lateb"));
    assertThat(writes.added("latera") + writes.added("lateb"))
        .as("applied once each, after the kill")
        .isEqualTo(2);

    writes.refuseAddsOf("lateb");
    child = new CrashRecoveryTest.Child(work, proxy.port(), 2, CrashRecoveryTest.Child.SHORT_CLAIM);
    child.awaitReady();

    // the first: its retry finds the member there and confirms; the time still counts from before
    // the kill
    JsonNode ended = awaitStatus(expiring, "EXPIRED");
    Instant attempted = Instant.parse(ended.get("grantAttemptedAt").asText());
    assertThat(attempted).as("the first attempt, before the kill").isBefore(killed);
    assertThat(Instant.parse(ended.get("expiresAt").asText())).isEqualTo(attempted.plusSeconds(20));
    // confirmed after the restart, or, when the restart took longer than its time, revoked before
    // the retry confirmed it
    if (!ended.get("grantedAt").isNull()) {
      assertThat(Instant.parse(ended.get("grantedAt").asText()))
          .as("confirmed after the restart")
          .isAfter(killed);
    }

    // the second: its retry is refused, and an operator deletes the stuck instance
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                get("frank", "/api/audit?requestId=" + deleted + "&action=connector.failed")
                        .get("totalItems")
                        .asInt()
                    > 0);
    JsonNode stuck = get("frank", "/api/access-requests/" + deleted);
    assertThat(stuck.get("status").asText()).isEqualTo("PENDING");
    String instance =
        get("dave", "/engine-rest/process-instance?businessKey=" + deleted)
            .get(0)
            .get("id")
            .asText();
    HttpResponse<String> deletion =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + child.port
                            + "/engine-rest/process-instance/"
                            + instance
                            + "?skipCustomListeners=true"))
                .DELETE()
                .timeout(Duration.ofMinutes(2))
                .header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("dave:dave-demo".getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deletion.statusCode()).as(deletion.body()).isEqualTo(204);
    JsonNode revoked = awaitStatus(deleted, "REVOKED");
    assertThat(revoked.get("endedBy").asText()).isEqualTo("dave");
    assertThat(revoked.get("grantedAt").isNull()).isTrue();

    for (String person : List.of("latera", "lateb")) {
      assertThat(writes.added(person)).as("times %s was added", person).isEqualTo(1);
      assertThat(writes.removed(person)).as("times %s was removed", person).isEqualTo(1);
    }
    assertThat(directory.getEntry(STAGING).getAttributeValues("member"))
        .as("members of staging-db-admin")
        .containsExactly("cn=empty-group-placeholder," + BASE);
    assertThat(get("frank", "/api/audit/verify").get("valid").asBoolean()).isTrue();
    assertThat(get("dave", "/engine-rest/incident/count").get("count").asInt())
        .as("open incidents")
        .isZero();
    assertThat(
            get(
                    "dave",
                    "/engine-rest/process-instance/count?processDefinitionKeyIn=jit-access,access-revocation")
                .get("count")
                .asInt())
        .as("access instances left")
        .isZero();
  }

  // --- the people and their requests

  private void person(String name) throws LDAPException {
    directory.add(
        new Entry(
            "uid=" + name + ",ou=people," + BASE,
            new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
            new Attribute("uid", name),
            new Attribute("cn", name),
            new Attribute("sn", name),
            new Attribute("userPassword", name + "-demo")));
  }

  private boolean isMember(String name) throws LDAPException {
    return directory
        .getEntry(STAGING)
        .hasAttributeValue("member", "uid=" + name + ",ou=people," + BASE);
  }

  private String ask(String person, String duration) throws Exception {
    HttpResponse<String> created =
        send(
            person,
            "POST",
            "/api/access-requests",
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                duration,
                "justification",
                "late write across a restart",
                "ticket",
                "OPS-25"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body()).get("id").asText();
  }

  private void approve(String id) throws Exception {
    HttpResponse<String> approved =
        send("bob", "POST", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
  }

  private JsonNode awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> get("frank", "/api/access-requests/" + id).get("status").asText().equals(status));
    return get("frank", "/api/access-requests/" + id);
  }

  private JsonNode get(String user, String path) {
    try {
      HttpResponse<String> answer = send(user, "GET", path, null);
      assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
      return json.readTree(answer.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(
      String user, String method, String path, Map<String, String> body) throws Exception {
    return http.send(
        CrashRecoveryTest.request(child.port, json, user, method, path, body),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Counts the memberships of the group that the directory applied, and refuses the additions of
   * some people.
   */
  static final class GroupWrites extends InMemoryOperationInterceptor {

    private final Map<String, AtomicInteger> added = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> removed = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    void refuseAddsOf(String person) {
      refused.add(person);
    }

    int added(String person) {
      return added.getOrDefault(person, new AtomicInteger()).get();
    }

    int removed(String person) {
      return removed.getOrDefault(person, new AtomicInteger()).get();
    }

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request)
        throws LDAPException {
      Change change = change(request.getRequest().getDN(), request.getRequest().getModifications());
      if (change != null
          && change.type() == ModificationType.ADD
          && refused.contains(change.person())) {
        throw new LDAPException(ResultCode.UNAVAILABLE, "the test's directory refuses this write");
      }
    }

    @Override
    public void processModifyResult(InMemoryInterceptedModifyResult result) {
      Change change = change(result.getRequest().getDN(), result.getRequest().getModifications());
      if (change != null && result.getResult().getResultCode() == ResultCode.SUCCESS) {
        (change.type() == ModificationType.ADD ? added : removed)
            .computeIfAbsent(change.person(), p -> new AtomicInteger())
            .incrementAndGet();
      }
    }

    private static Change change(String dn, List<Modification> modifications) {
      try {
        if (!new DN(dn).equals(new DN(STAGING))) {
          return null;
        }
        for (Modification m : modifications) {
          if (m.getAttributeName().equalsIgnoreCase("member") && m.getValues().length == 1) {
            return new Change(
                m.getModificationType(), new DN(m.getValues()[0]).getRDN().getAttributeValues()[0]);
          }
        }
        return null;
      } catch (LDAPException e) {
        return null;
      }
    }

    record Change(ModificationType type, String person) {}
  }
}
