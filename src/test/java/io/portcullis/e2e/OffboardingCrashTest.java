package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offboarding saga killed with SIGKILL after one of its revokes reached the directory and
 * before the step committed, then started again on the same database: the saga completes, nothing
 * the leaver held is left, no revoke is repeated in a way that fails, and the audit trail still
 * verifies. The product runs in a child JVM as in {@link CrashRecoveryTest}; the directory, in this
 * JVM, holds the answer to the chosen revoke until the child is dead.
 */
class OffboardingCrashTest {

  static final String BASE = CrashRecoveryTest.BASE;
  static final String LEAVER = "quinn";
  static final int GROUPS = 6;

  @TempDir Path work;
  InMemoryDirectoryServer directory;
  final Removals removals = new Removals();
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  CrashRecoveryTest.Child child;
  int starts;

  @BeforeEach
  void startDirectory() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials(
        CrashRecoveryTest.ADMIN_DN, CrashRecoveryTest.ADMIN_PASSWORD);
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    try (InputStream schema = getClass().getResourceAsStream("/demo/schema.ldif")) {
      // the demo's additions, where a disabled account's password waits
      Path file = work.resolve("schema.ldif");
      Files.write(file, schema.readAllBytes());
      config.setSchema(
          Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(file.toFile())));
    }
    config.addInMemoryOperationInterceptor(removals);
    directory = new InMemoryDirectoryServer(config);
    try (InputStream ldif = getClass().getResourceAsStream("/demo/organisation.ldif")) {
      directory.importFromLDIF(true, new LDIFReader(ldif));
    }
    directory.add(
        new Entry(
            personDn(LEAVER),
            new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
            new Attribute("uid", LEAVER),
            new Attribute("cn", LEAVER),
            new Attribute("sn", LEAVER),
            new Attribute("userPassword", LEAVER + "-demo")));
    for (int i = 1; i <= GROUPS; i++) {
      directory.add(
          new Entry(
              groupDn(i),
              new Attribute("objectClass", "top", "groupOfNames"),
              new Attribute("cn", "share-" + i),
              new Attribute("member", "cn=empty-group-placeholder," + BASE, personDn(LEAVER))));
    }
    directory.startListening();
  }

  @AfterEach
  void stopAll() {
    if (child != null) {
      child.kill();
    }
    removals.release();
    directory.shutDown(true);
  }

  @Test
  void killedAfterARevokeReachedTheDirectoryTheSagaCompletesOnRestartAndNothingIsLeft()
      throws Exception {
    child = startChild();
    removals.holdTheAnswerTo(3);
    HttpResponse<String> started =
        send(
            "hr-system",
            "POST",
            "/api/offboardings",
            Map.of("username", LEAVER, "reason", "left the company", "hrReference", "HR-CRASH-1"));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = json.readTree(started.body()).get("id").asText();
    assertThat(removals.held.await(2, TimeUnit.MINUTES))
        .as("a revoke reached the directory; removals: %s", removals.log)
        .isTrue();
    String heldGroup = removals.heldGroup;
    assertThat(directory.getEntry(heldGroup).hasAttributeValue("member", personDn(LEAVER)))
        .as("the held revoke was applied")
        .isFalse();
    child.kill();
    removals.release();

    child = startChild();
    JsonNode done =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> get("dave", "/api/offboardings/" + id),
                o -> o.get("status").asText().equals("COMPLETED"));

    for (int i = 1; i <= GROUPS; i++) {
      assertThat(directory.getEntry(groupDn(i)).hasAttributeValue("member", personDn(LEAVER)))
          .as("member of share-%d", i)
          .isFalse();
      assertThat(removals.applied(groupDn(i)))
          .as("removals from share-%d that the directory applied", i)
          .isEqualTo(1);
    }
    assertThat(directory.getEntry(personDn(LEAVER)).hasAttribute("userPassword"))
        .as("the account cannot bind")
        .isFalse();
    assertThat(done.get("report").get("findings")).isEmpty();
    assertThat(done.get("report").get("systems").get(0).get("failures"))
        .as("no failed attempt: the restart took the step back")
        .isEmpty();
    JsonNode verification = get("frank", "/api/audit/verify");
    assertThat(verification.get("valid").asBoolean()).as("audit trail: %s", verification).isTrue();
    assertThat(get("dave", "/engine-rest/incident/count").get("count").asInt())
        .as("open incidents")
        .isZero();
    System.out.println(
        "offboarding crash test: killed holding the answer to the removal from "
            + heldGroup
            + "; removals: "
            + removals.log);
  }

  private static String personDn(String name) {
    return "uid=" + name + ",ou=people," + BASE;
  }

  private static String groupDn(int i) {
    return "cn=share-" + i + ",ou=groups," + BASE;
  }

  private CrashRecoveryTest.Child startChild() throws Exception {
    starts++;
    CrashRecoveryTest.Child started =
        new CrashRecoveryTest.Child(
            work, directory.getListenPort(), starts, CrashRecoveryTest.Child.SHORT_CLAIM);
    started.awaitReady();
    return started;
  }

  private JsonNode get(String user, String path) throws Exception {
    HttpResponse<String> answer = send(user, "GET", path, null);
    assertThat(answer.statusCode())
        .as("GET %s as %s: %s", path, user, answer.body())
        .isEqualTo(200);
    return json.readTree(answer.body());
  }

  private HttpResponse<String> send(
      String user, String method, String path, Map<String, String> body) throws Exception {
    return http.send(
        CrashRecoveryTest.request(child.port, json, user, method, path, body),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Counts the removals of the leaver from groups that the directory applied, and holds the answer
   * to one of them.
   */
  static final class Removals extends InMemoryOperationInterceptor {

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    private final AtomicInteger seen = new AtomicInteger();
    private volatile int holdAt = Integer.MAX_VALUE;
    volatile String heldGroup;

    void holdTheAnswerTo(int nth) {
      holdAt = nth;
    }

    void release() {
      holdAt = Integer.MAX_VALUE;
      released.countDown();
    }

    int applied(String group) {
      return applied.getOrDefault(normalized(group), new AtomicInteger()).get();
    }

    @Override
    public void processModifyResult(InMemoryInterceptedModifyResult result) {
      if (result.getResult().getResultCode() != ResultCode.SUCCESS
          || !removesTheLeaver(result.getRequest().getModifications())) {
        return;
      }
      String group = normalized(result.getRequest().getDN());
      applied.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
      log.add(group);
      if (seen.incrementAndGet() == holdAt) {
        heldGroup = result.getRequest().getDN();
        held.countDown();
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static boolean removesTheLeaver(List<Modification> modifications) {
      for (Modification m : modifications) {
        if (m.getModificationType() == ModificationType.DELETE
            && m.getAttributeName().equalsIgnoreCase("member")) {
          for (String value : m.getValues()) {
            if (normalized(value).equals(normalized(personDn(LEAVER)))) {
              return true;
            }
          }
        }
      }
      return false;
    }

    private static String normalized(String dn) {
      try {
        return new DN(dn).toNormalizedString();
      } catch (LDAPException e) {
        return dn;
      }
    }
  }
}
