package io.portcullis.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.connector.ConnectorInstances;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;

/**
 * A bad catalog entry stops start-up, and the message names the entry and what is wrong with it.
 */
class CatalogStartupTest {

  private static final String GOOD = "portcullis.catalog[0].";

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
          .withUserConfiguration(CatalogOnly.class)
          .withPropertyValues(
              GOOD + "id=staging-db-admin",
              GOOD + "name=Staging",
              GOOD + "connector=ldap-group",
              GOOD + "target=cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo",
              GOOD + "max-duration=PT8H",
              GOOD + "environment=staging",
              GOOD + "risk=medium");

  @Test
  void aGoodCatalogLoads() {
    context.run(
        app -> {
          assertThat(app).hasNotFailed();
          Resource resource =
              app.getBean(Catalog.class).find(ResourceId.of("staging-db-admin")).orElseThrow();
          assertThat(resource.maxDuration()).isEqualTo(Duration.ofHours(8));
          assertThat(resource.environment()).isEqualTo("staging");
          assertThat(resource.standing()).isEqualTo(Standing.NONE);
          assertThat(resource.onDrift()).isEqualTo(OnDrift.REPORT);
        });
  }

  @Test
  void standingAccessAndWhatToDoOnDriftAreReadFromTheEntry() {
    context
        .withPropertyValues(
            GOOD + "standing[0]=person:carol",
            GOOD + "standing[1]=group:db-owners",
            GOOD + "on-drift=remove")
        .run(
            app -> {
              assertThat(app).hasNotFailed();
              Resource resource =
                  app.getBean(Catalog.class).find(ResourceId.of("staging-db-admin")).orElseThrow();
              assertThat(resource.onDrift()).isEqualTo(OnDrift.REMOVE);
              assertThat(resource.standing().people()).containsExactly(Username.of("carol"));
              assertThat(resource.standing().groups()).containsExactly("db-owners");
              assertThat(resource.standing().allows(Username.of("CAROL"), List::of)).isTrue();
              assertThat(
                      resource.standing().allows(Username.of("dave"), () -> List.of("db-owners")))
                  .isTrue();
              assertThat(resource.standing().allows(Username.of("dave"), () -> List.of("staff")))
                  .isFalse();
            });
    context
        .withPropertyValues(GOOD + "standing=none")
        .run(
            app ->
                assertThat(
                        app.getBean(Catalog.class)
                            .find(ResourceId.of("staging-db-admin"))
                            .orElseThrow()
                            .standing()
                            .isNone())
                    .isTrue());
  }

  @Test
  void reviewSettingsAreReadFromTheEntryWithTheirDefaults() {
    context
        .withPropertyValues(
            GOOD + "standing[0]=person:carol",
            GOOD + "review-every=P90D",
            GOOD + "owner=team-leads")
        .run(
            app -> {
              assertThat(app).hasNotFailed();
              ReviewPolicy review =
                  app.getBean(Catalog.class)
                      .find(ResourceId.of("staging-db-admin"))
                      .orElseThrow()
                      .review();
              assertThat(review.schedule()).contains(Duration.ofDays(90));
              assertThat(review.owner()).isEqualTo("team-leads");
              assertThat(review.within()).isEqualTo(Duration.ofDays(14));
              assertThat(review.onUnreviewed()).isEqualTo(OnUnreviewed.REVOKE_UNREVIEWED);
            });
    context
        .withPropertyValues(
            GOOD + "standing[0]=person:carol",
            GOOD + "owner=team-leads",
            GOOD + "review-within=P3D",
            GOOD + "on-unreviewed=keep")
        .run(
            app -> {
              ReviewPolicy review =
                  app.getBean(Catalog.class)
                      .find(ResourceId.of("staging-db-admin"))
                      .orElseThrow()
                      .review();
              assertThat(review.schedule()).isEmpty();
              assertThat(review.reviewable()).isTrue();
              assertThat(review.within()).isEqualTo(Duration.ofDays(3));
              assertThat(review.onUnreviewed()).isEqualTo(OnUnreviewed.KEEP);
            });
    context.run(
        app ->
            assertThat(
                    app.getBean(Catalog.class)
                        .find(ResourceId.of("staging-db-admin"))
                        .orElseThrow()
                        .review())
                .isEqualTo(ReviewPolicy.NONE));
  }

  @Test
  void eachKindOfReviewMistakeStopsStartUpNamingTheEntry() {
    assertFails(
        entry(1, "id=new-db", "standing=person:carol", "review-every=P90D"),
        "portcullis.catalog[1] (new-db): review-every needs an owner group to review");
    assertFails(
        entry(1, "id=new-db", "review-every=P90D", "owner=team-leads"),
        "portcullis.catalog[1] (new-db): a review needs a standing list");
    assertFails(
        entry(1, "id=new-db", "standing=person:carol", "review-every=-P1D", "owner=team-leads"),
        "portcullis.catalog[1] (new-db): review-every must be positive");
    assertFails(
        entry(
            1,
            "id=new-db",
            "standing=person:carol",
            "review-every=P7D",
            "review-within=P14D",
            "owner=team-leads"),
        "portcullis.catalog[1] (new-db): review-within PT336H must be shorter than review-every PT168H");
    assertFails(
        entry(1, "id=new-db", "standing=person:carol", "owner=team)(leads"),
        "portcullis.catalog[1] (new-db): owner 'team)(leads' is not a directory group id");
    assertFails(
        entry(1, "id=new-db", "standing=person:carol", "owner=x", "on-unreviewed=forget"),
        "portcullis.catalog[1].on-unreviewed");
  }

  @Test
  void eachKindOfMistakeStopsStartUpNamingTheEntry() {
    assertFails(
        entry(1, "id=staging-db-admin"),
        "portcullis.catalog[1] (staging-db-admin): the id is used by an earlier entry");
    assertFails(
        entry(1, "id=new-db", "connector=ssh-key"),
        "portcullis.catalog[1] (new-db): no connector named 'ssh-key'");
    assertFails(
        entry(1, "id=new-db", "target=not a dn"),
        "portcullis.catalog[1] (new-db): target: 'not a dn' is not a valid DN");
    assertFails(
        entry(1, "id=new-db", "max-duration=PT30S"),
        "portcullis.catalog[1] (new-db): max-duration PT30S is shorter than");
    assertFails(
        entry(1, "id=new-db", "max-duration=PT2H", "max-total-duration=PT1H"),
        "portcullis.catalog[1] (new-db): max-total-duration PT1H is shorter than its max-duration PT2H");
    assertFails(entry(1, "id=New DB!"), "portcullis.catalog[1].id");
    assertFails(
        entry(1, "id=new-db", "environment=prod)(cn=*"), "portcullis.catalog[1].environment");
    assertFails(entry(1, "id=new-db", "risk=Very High"), "portcullis.catalog[1].risk");
    assertFails(
        entry(1, "id=new-db", "standing=alice"),
        "portcullis.catalog[1] (new-db): standing: 'alice' is not 'none' (alone)");
    assertFails(
        entry(1, "id=new-db", "standing=person:al ice"),
        "portcullis.catalog[1] (new-db): standing: 'person:al ice': must be a directory user name");
    assertFails(entry(1, "id=new-db", "on-drift=delete"), "portcullis.catalog[1].on-drift");
    assertFails(
        new String[] {"portcullis.catalog[1].id=new-db"}, "portcullis.catalog[1].maxDuration");
  }

  @Test
  void aBundleNamesResourcesOfTheCatalog_emptyUnknownDuplicateAndRepeatedAreRefused() {
    context
        .withPropertyValues(
            "portcullis.bundles[0].id=incident-responder",
            "portcullis.bundles[0].resources[0]=staging-db-admin")
        .run(
            app -> {
              assertThat(app).hasNotFailed();
              Bundle bundle = app.getBean(Catalog.class).bundle("incident-responder").orElseThrow();
              assertThat(bundle.resourceIds()).containsExactly(ResourceId.of("staging-db-admin"));
              assertThat(app.getBean(Catalog.class).bundle("on-call")).isEmpty();
            });
    assertFails(
        new String[] {"portcullis.bundles[0].id=incident-responder"},
        "portcullis.bundles[0] (incident-responder): names no resource");
    assertFails(
        new String[] {
          "portcullis.bundles[0].id=incident-responder",
          "portcullis.bundles[0].resources[0]=staging-db-admin",
          "portcullis.bundles[0].resources[1]=prod-db"
        },
        "portcullis.bundles[0] (incident-responder): no resource 'prod-db' in portcullis.catalog");
    assertFails(
        new String[] {
          "portcullis.bundles[0].id=incident-responder",
          "portcullis.bundles[0].resources[0]=staging-db-admin",
          "portcullis.bundles[0].resources[1]=staging-db-admin"
        },
        "portcullis.bundles[0] (incident-responder): names 'staging-db-admin' twice");
    assertFails(
        new String[] {
          "portcullis.bundles[0].id=incident-responder",
          "portcullis.bundles[0].resources[0]=staging-db-admin",
          "portcullis.bundles[1].id=incident-responder",
          "portcullis.bundles[1].resources[0]=staging-db-admin"
        },
        "portcullis.bundles[1] (incident-responder): the id is used by an earlier bundle");
    assertFails(
        new String[] {
          "portcullis.bundles[0].id=Incident Responder",
          "portcullis.bundles[0].resources[0]=staging-db-admin"
        },
        "portcullis.bundles[0].id");
  }

  private void assertFails(String[] properties, String message) {
    context
        .withPropertyValues(properties)
        .run(
            app -> {
              assertThat(app).hasFailed();
              assertThat(fullMessage(app.getStartupFailure())).contains(message);
            });
  }

  private static String fullMessage(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  /** A second entry: valid except for what the overrides change. */
  private static String[] entry(int index, String... overrides) {
    String prefix = "portcullis.catalog[" + index + "].";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("id", "other-db");
    values.put("name", "Other");
    values.put("connector", "ldap-group");
    values.put("target", "cn=other-db,ou=groups,dc=portcullis,dc=demo");
    values.put("max-duration", "PT1H");
    values.put("environment", "production");
    values.put("risk", "high");
    for (String override : overrides) {
      String[] pair = override.split("=", 2);
      values.put(pair[0], pair[1]);
    }
    return values.entrySet().stream()
        .map(e -> prefix + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({CatalogProperties.class, DurationLimits.class})
  @Import({Catalog.class, Connectors.class, ConnectorInstances.class})
  static class CatalogOnly {

    /** The real connector; target validation never talks to the directory. */
    @Bean
    LdapGroupConnector ldapGroupConnector() {
      return new LdapGroupConnector(
          new LdapTemplate(new LdapContextSource()),
          new DirectoryProperties(
              "dc=portcullis,dc=demo",
              "ou=people",
              "ou=groups",
              null,
              null,
              null,
              null,
              null,
              null,
              null));
    }
  }
}
