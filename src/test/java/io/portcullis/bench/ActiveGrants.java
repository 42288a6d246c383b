package io.portcullis.bench;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.portcullis.request.AccessProcess;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.yaml.snakeyaml.Yaml;

/**
 * The background of the expiry figures: thousands of grants that are active, each as Portcullis
 * holds one (an {@code ACTIVE} request row bound to a {@code jit-access} instance that waits at
 * "Wait for expiry or revoke", with its expiry timer job and revoke message subscription, and the
 * person's membership of the resource's group in the directory), spread over {@link #RESOURCES}
 * resources of their own so that no group grows beyond what a real one holds.
 *
 * <p>Made in bulk, not over REST: at the few requests per second that REST reaches here, 100,000
 * grants would take hours. The instances start at the wait with their listeners skipped, as only a
 * benchmark may; they expire hours later, after the benchmark. The requests that the benchmark
 * measures and lets expire are always made over REST, through every step.
 */
final class ActiveGrants {

  static final int RESOURCES = Integer.getInteger("bench.resources", 100);
  static final String GROUPS = "ou=groups,dc=portcullis,dc=demo";
  static final String PEOPLE = "ou=people,dc=portcullis,dc=demo";
  private static final int BATCH = 500;

  private int made;

  /** The resource {@code i} of the background, in the catalog and as a group. */
  static String resource(int i) {
    return String.format(Locale.ROOT, "bench-%03d", i);
  }

  static String group(int i) {
    return "cn=" + resource(i) + "," + GROUPS;
  }

  /**
   * The demo catalog and the background's resources after it, as arguments: a list given on the
   * command line replaces the whole list of application-demo.yml, so the demo's entries are
   * repeated first.
   */
  @SuppressWarnings("unchecked")
  static List<String> catalog() throws Exception {
    List<String> args = new ArrayList<>();
    List<Map<String, Object>> demo;
    List<Map<String, Object>> bundles;
    try (InputStream yaml = new ClassPathResource("application-demo.yml").getInputStream()) {
      Map<String, Object> settings = new Yaml().load(yaml);
      Map<String, Object> portcullis = (Map<String, Object>) settings.get("portcullis");
      demo = (List<Map<String, Object>>) portcullis.get("catalog");
      bundles = (List<Map<String, Object>>) portcullis.get("bundles");
    }
    // the demo's bundles replace the test profile's, one of which names a resource of its catalog
    for (int i = 0; bundles != null && i < bundles.size(); i++) {
      args.addAll(arguments("--portcullis.bundles[" + i + "].", bundles.get(i)));
    }
    for (int i = 0; i < demo.size(); i++) {
      args.addAll(arguments("--portcullis.catalog[" + i + "].", demo.get(i)));
    }
    for (int i = 0; i < RESOURCES; i++) {
      String at = "--portcullis.catalog[" + (demo.size() + i) + "].";
      args.addAll(
          List.of(
              at + "id=" + resource(i),
              at + "name=Benchmark resource " + i,
              at + "description=Background of the load benchmark",
              at + "connector=ldap-group",
              at + "target=" + group(i),
              at + "max-duration=PT8H",
              at + "environment=staging",
              at + "risk=low"));
    }
    return args;
  }

  /**
   * One entry of a list as arguments: a list in it (standing, resources) by commas, as Spring reads
   * one.
   */
  private static List<String> arguments(String at, Map<String, Object> entry) {
    List<String> args = new ArrayList<>();
    entry.forEach(
        (key, value) ->
            args.add(
                at
                    + key
                    + "="
                    + (value instanceof List<?> list
                        ? String.join(",", list.stream().map(String::valueOf).toList())
                        : value)));
    return args;
  }

  /**
   * The groups of the background resources, empty; before any node starts, since the catalog's
   * targets must exist.
   */
  static void addGroups(InMemoryDirectoryServer directory) throws Exception {
    for (int i = 0; i < RESOURCES; i++) {
      // groupOfNames needs a member: the placeholder of the demo's groups
      directory.add(
          "dn: " + group(i),
          "objectClass: top",
          "objectClass: groupOfNames",
          "cn: " + resource(i),
          "member: cn=empty-group-placeholder,dc=portcullis,dc=demo");
    }
  }

  int made() {
    return made;
  }

  /** Adds {@code count} active grants of {@code life}; returns how long that took. */
  Duration add(
      ConfigurableApplicationContext node,
      InMemoryDirectoryServer directory,
      int count,
      Duration life)
      throws Exception {
    RuntimeService runtime = node.getBean(RuntimeService.class);
    JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
    TransactionTemplate transaction =
        new TransactionTemplate(node.getBean(PlatformTransactionManager.class));
    long start = System.nanoTime();
    for (int done = 0; done < count; done += BATCH) {
      int n = Math.min(BATCH, count - done);
      List<Object[]> rows = new ArrayList<>();
      List<List<String>> members = new ArrayList<>();
      for (int g = 0; g < RESOURCES; g++) {
        members.add(new ArrayList<>());
      }
      transaction.executeWithoutResult(
          status -> {
            Instant now = Instant.now();
            Instant expiresAt = now.plus(life);
            for (int i = 0; i < n; i++) {
              int k = made + rows.size();
              String person = String.format(Locale.ROOT, "seed%06d", k);
              int g = k % RESOURCES;
              String id = UUID.randomUUID().toString();
              ProcessInstance instance =
                  runtime
                      .createProcessInstanceByKey(AccessProcess.KEY)
                      .businessKey(id)
                      .startBeforeActivity("gateway_awaitEnd")
                      .setVariable(AccessProcess.EXPIRES_AT, Date.from(expiresAt))
                      .execute(true, true);
              rows.add(
                  new Object[] {
                    id,
                    instance.getId(),
                    person,
                    resource(g),
                    "ldap-group",
                    group(g),
                    life.toString(),
                    "benchmark background",
                    "ACTIVE",
                    Timestamp.from(now),
                    Timestamp.from(now),
                    Timestamp.from(expiresAt)
                  });
              members.get(g).add("uid=" + person + "," + PEOPLE);
            }
            jdbc.batchUpdate(
                "insert into access_request (id, process_instance_id, requester, resource_id, connector, target, duration, "
                    + "justification, status, requested_at, granted_at, expires_at, access_preexisted) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
                rows);
          });
      for (int g = 0; g < RESOURCES; g++) {
        if (!members.get(g).isEmpty()) {
          directory.modify(
              group(g),
              new Modification(
                  ModificationType.ADD, "member", members.get(g).toArray(String[]::new)));
        }
      }
      made += n;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
