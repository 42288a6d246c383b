package io.portcullis.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.RequestStatus;
import io.portcullis.support.LdapConnections;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import io.portcullis.support.SharedDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a whole drift sweep costs (listing, comparison with what is sanctioned, the report stored):
 * {@code bench.members} people (default 10,000) hold staging-db-admin, each through a live grant,
 * in the demo directory and the in-memory database of the test profile; the sweep is timed from its
 * timer's job to its last step. The directory is the demo organisation in a server of its own
 * ({@link SharedDirectory}), which the application reaches over LDAP as it would a company's, and
 * whose interceptor counts the operations it receives, by type: the connector's pool hides them
 * from the client side. The connections it accepted are counted too.
 *
 * <p>Not a test: it prints figures. Run it with {@code ./mvnw -B -ntp -o -Pbench test
 * -Dtest=DriftSweepBenchmark} ({@code -Dbench.members=10000 -Dbench.runs=3}).
 */
@Tag("benchmark")
@PortcullisTest
class DriftSweepBenchmark extends ProcessFixture {

  static final Operations OPERATIONS = new Operations();
  static final InMemoryDirectoryServer DIRECTORY = SharedDirectory.start(OPERATIONS);

  @DynamicPropertySource
  static void theCountedDirectory(DynamicPropertyRegistry registry) {
    registry.add("spring.ldap.urls", () -> "ldap://127.0.0.1:" + DIRECTORY.getListenPort());
    registry.add("spring.ldap.username", () -> SharedDirectory.ADMIN);
    registry.add("spring.ldap.password", () -> SharedDirectory.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    DIRECTORY.shutDown(true);
  }

  @Autowired Catalog catalog;
  @Autowired DriftSweeps sweeps;
  private final InMemoryDirectoryServer directory = DIRECTORY;

  @Test
  void sweepTenThousandSanctionedMemberships() throws Exception {
    int size = Integer.getInteger("bench.members", 10_000);
    int runs = Integer.getInteger("bench.runs", 3);
    Resource staging = catalog.find(ResourceId.of("staging-db-admin")).orElseThrow();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String uid = "bench-" + i;
      String dn = "uid=" + uid + ",ou=people,dc=portcullis,dc=demo";
      // straight into the server, past its network door: the bench's setup, not what it times
      directory.add(
          new Entry(
              dn,
              new Attribute(
                  "objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
              new Attribute("uid", uid),
              new Attribute("cn", uid),
              new Attribute("sn", uid)));
      members.add(dn);
      AccessRequest grant =
          AccessRequest.builder()
              .id(RequestId.random())
              .requester(Username.of(uid))
              .access(staging.id(), staging.connector(), staging.target())
              .duration(AccessDuration.of(Duration.ofHours(1)))
              .justification("bench")
              .status(RequestStatus.PENDING)
              .requestedAt(Instant.now())
              .build();
      requests.insert(grant);
      requests.markActive(grant.id(), Instant.now(), Instant.now().plus(Duration.ofHours(1)));
    }
    directory.modify(
        staging.target().value(),
        new Modification(ModificationType.ADD, "member", members.toArray(String[]::new)));

    for (int run = 0; run <= runs; run++) {
      long connections = LdapConnections.acceptedSoFar(directory);
      OPERATIONS.reset();
      long start = System.nanoTime();
      String id = sweep();
      long ms = (System.nanoTime() - start) / 1_000_000;
      SweepReport report = sweeps.report(id);
      SweepReport.ResourceSwept swept =
          report.resources().stream()
              .filter(r -> r.resource().equals("staging-db-admin"))
              .findFirst()
              .orElseThrow();
      assertThat(swept.holders()).isEqualTo(size);
      assertThat(swept.findings()).isEmpty();
      assertThat(report.state()).isEqualTo("finished");
      System.out.printf(
          "drift sweep bench: %d memberships sanctioned by %d live grants, %d resources, %s: %d ms,"
              + " %d LDAP connections accepted, %s%n",
          size,
          size,
          report.resources().size(),
          run == 0 ? "warm-up" : "run " + run,
          ms,
          LdapConnections.acceptedSoFar(directory) - connections,
          OPERATIONS);
    }
  }

  /** Fires the timer and runs the sweep's jobs; returns the sweep's id. */
  private String sweep() {
    management.executeJob(
        management
            .createJobQuery()
            .processDefinitionKey(DriftProcess.KEY)
            .timers()
            .singleResult()
            .getId());
    String pi =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey(DriftProcess.KEY)
            .singleResult()
            .getId();
    String id =
        jdbc.queryForObject(
            "select id from drift_sweep where process_instance_id = ?", String.class, pi);
    for (int i = 0; i < 50; i++) {
      List<Job> due = management.createJobQuery().processInstanceId(pi).executable().list();
      if (due.isEmpty()) {
        break;
      }
      management.executeJob(due.get(0).getId());
    }
    return id;
  }

  /** The operations the directory receives from its clients, by type. */
  static final class Operations extends InMemoryOperationInterceptor {
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong modifies = new AtomicLong();
    private final AtomicLong adds = new AtomicLong();
    private final AtomicLong binds = new AtomicLong();

    @Override
    public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
      searches.incrementAndGet();
    }

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request) {
      modifies.incrementAndGet();
    }

    @Override
    public void processAddRequest(InMemoryInterceptedAddRequest request) {
      adds.incrementAndGet();
    }

    @Override
    public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
      binds.incrementAndGet();
    }

    void reset() {
      searches.set(0);
      modifies.set(0);
      adds.set(0);
      binds.set(0);
    }

    @Override
    public String toString() {
      return String.format(
          "LDAP operations received: %d searches, %d modifies, %d adds, %d binds",
          searches.get(), modifies.get(), adds.get(), binds.get());
    }
  }
}
