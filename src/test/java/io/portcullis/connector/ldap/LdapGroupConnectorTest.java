package io.portcullis.connector.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryDirectoryServerSnapshot;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.BatchRevoke;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorContractTest;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Discovery;
import io.portcullis.connector.ldap.LdapGroupProperties.AccountControlSettings;
import io.portcullis.connector.ldap.LdapGroupProperties.DisableMethod;
import io.portcullis.directory.DirectoryPoolProperties;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;

/**
 * The ldap-group connector against a real, in-process directory holding the demo organisation (with
 * the demo's schema additions), without a Spring context: the shared {@link ConnectorContractTest},
 * then what is particular to LDAP. Every assertion about membership reads the group back from the
 * directory itself, never only through the connector; the directory is reset to the demo
 * organisation before each test. Accounts are disabled the demo's way ({@code stashed-password}),
 * and discovery pages by two, so that every discovery of more than two groups crosses a page.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LdapGroupConnectorTest extends ConnectorContractTest {

  static final String BASE = "dc=portcullis,dc=demo";
  static final String ADMIN = "cn=admin," + BASE;
  static final String PEOPLE = "ou=people," + BASE;
  static final String GROUPS = "ou=groups," + BASE;
  static final String PLACEHOLDER = "cn=empty-group-placeholder," + BASE;
  static final String DEVELOPERS = "cn=developers," + GROUPS;
  static final String STAGING = "cn=staging-db-admin," + GROUPS;
  static final String PROD_DB = "cn=prod-db-readonly," + GROUPS;
  static final DirectoryProperties DIRECTORY =
      new DirectoryProperties(
          BASE, "ou=people", "ou=groups", null, null, null, null, null, null, null);

  static InMemoryDirectoryServer server;
  static final Modifies modifies = new Modifies();
  static InMemoryDirectoryServerSnapshot demoOrganisation;
  static LdapTemplate ldap;
  static LdapGroupConnector raw;

  @BeforeAll
  static void startDirectory() throws Exception {
    server = demoDirectory();
    demoOrganisation = server.createSnapshot();
    ldap = template(server);
    raw =
        new LdapGroupConnector(
            ldap,
            DIRECTORY,
            new LdapGroupProperties(2, AccountControlSettings.of(DisableMethod.STASHED_PASSWORD)));
  }

  /** The demo organisation in a directory of its own, with the schema the demo profile gives it. */
  static InMemoryDirectoryServer demoDirectory() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials(ADMIN, "admin-demo");
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    config.addInMemoryOperationInterceptor(modifies);
    try (InputStream schema = resource("demo/schema.ldif")) {
      config.setSchema(
          Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(schema)));
    }
    InMemoryDirectoryServer directory = new InMemoryDirectoryServer(config);
    try (InputStream ldif = resource("demo/organisation.ldif")) {
      directory.importFromLDIF(true, new LDIFReader(ldif));
    }
    directory.startListening();
    return directory;
  }

  static LdapTemplate template(InMemoryDirectoryServer directory) {
    LdapContextSource source = new LdapContextSource();
    source.setUrl("ldap://localhost:" + directory.getListenPort());
    source.setUserDn(ADMIN);
    source.setPassword("admin-demo");
    // a connector that sends the directory something it cannot answer must fail here, not hang the
    // build
    source.setBaseEnvironmentProperties(
        Map.of(
            "com.sun.jndi.ldap.connect.timeout", "5000", "com.sun.jndi.ldap.read.timeout", "5000"));
    source.afterPropertiesSet();
    return new LdapTemplate(source);
  }

  private static InputStream resource(String name) {
    InputStream in = LdapGroupConnectorTest.class.getClassLoader().getResourceAsStream(name);
    assertThat(in).as("%s on the classpath", name).isNotNull();
    return in;
  }

  @AfterAll
  static void stopDirectory() {
    if (server != null) {
      server.shutDown(true);
    }
  }

  @BeforeEach
  void resetDirectory() {
    server.restoreSnapshot(demoOrganisation);
    modifies.reset();
  }

  // --- how the contract test reaches this directory

  @Override
  protected Connector rawConnector() {
    return raw;
  }

  @Override
  protected Target target() {
    return Target.of(STAGING);
  }

  @Override
  protected Target otherTarget() {
    return Target.of(PROD_DB);
  }

  @Override
  protected Username person() {
    return Username.of("alice");
  }

  @Override
  protected Username otherPerson() {
    return Username.of("erin");
  }

  @Override
  protected boolean systemShowsHeld(Username username, Target target) throws Exception {
    return members(target.value()).contains(person(username.value()));
  }

  @Override
  protected void grantByHand(Username username, Target target) throws Exception {
    server.modify(
        target.value(),
        new Modification(ModificationType.ADD, "member", person(username.value()).toString()));
  }

  @Override
  protected Username newPersonWithNothing() throws Exception {
    addPerson("newcomer");
    return Username.of("newcomer");
  }

  @Override
  protected Object systemState() throws Exception {
    // every entry with every attribute, operational ones (modifyTimestamp) included
    return server
        .search(BASE, SearchScope.SUB, Filter.createPresenceFilter("objectClass"), "*", "+")
        .getSearchEntries()
        .stream()
        .map(Entry::toLDIFString)
        .sorted()
        .toList();
  }

  @Override
  protected boolean canAuthenticate(Username username) throws Exception {
    return canBind(person(username.value()).toString(), username + "-demo");
  }

  static boolean canBind(String dn, String password) throws LDAPException {
    try (LDAPConnection connection = new LDAPConnection("localhost", server.getListenPort())) {
      connection.bind(dn, password);
      return true;
    } catch (LDAPException refused) {
      if (refused.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
        return false;
      }
      throw refused;
    }
  }

  @Override
  protected Stream<String> hostileTargets() {
    return Stream.concat(
        super.hostileTargets(),
        Stream.of(
            "cn=*," + GROUPS,
            "cn=developers)(cn=*," + GROUPS,
            "cn=" + "a".repeat(10_000) + "," + GROUPS,
            "not a dn",
            "cn=unterminated\\"));
  }

  @Test
  void grantAddsThePersonToTheGroupAndGrantingAgainLeavesExactlyOneMemberValue() throws Exception {
    DN alice = person("alice");
    assertThat(members(STAGING)).containsExactly(dn(PLACEHOLDER));

    connector.grant(Username.of("alice"), Target.of(STAGING));

    assertThat(members(STAGING)).containsExactlyInAnyOrder(dn(PLACEHOLDER), alice);
    assertThat(connector.holds(Username.of("alice"), Target.of(STAGING))).isTrue();

    assertThatCode(() -> connector.grant(Username.of("alice"), Target.of(STAGING)))
        .doesNotThrowAnyException();

    assertThat(members(STAGING)).filteredOn(alice::equals).hasSize(1);
    assertThat(members(STAGING)).containsExactlyInAnyOrder(dn(PLACEHOLDER), alice);
    assertThat(connector.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
  }

  @Test
  void revokeRemovesOnlyThatPersonAndRevokingAgainSucceeds() throws Exception {
    assertThat(members(DEVELOPERS)).contains(person("alice"), person("bob"), person("erin"));

    connector.revoke(Username.of("alice"), Target.of(DEVELOPERS));

    assertThat(members(DEVELOPERS))
        .containsExactlyInAnyOrder(
            dn(PLACEHOLDER), person("erin"), person("bob"), person("olivia"));
    assertThat(connector.holds(Username.of("alice"), Target.of(DEVELOPERS))).isFalse();
    assertThat(connector.holds(Username.of("bob"), Target.of(DEVELOPERS))).isTrue();

    assertThatCode(() -> connector.revoke(Username.of("alice"), Target.of(DEVELOPERS)))
        .doesNotThrowAnyException();

    assertThat(members(DEVELOPERS))
        .containsExactlyInAnyOrder(
            dn(PLACEHOLDER), person("erin"), person("bob"), person("olivia"));
    assertThat(connector.holds(Username.of("alice"), Target.of(DEVELOPERS))).isFalse();
  }

  @Test
  void aBatchRevokeSendsOneModifyForEveryoneAndLeavesTheOtherMembers() throws Exception {
    assertThat(members(DEVELOPERS)).contains(person("alice"), person("bob"), person("erin"));
    BatchRevoke batch = connector.capability(BatchRevoke.class).orElseThrow();

    var answer =
        batch.revokeAll(
            Target.of(DEVELOPERS),
            new TreeSet<>(List.of(Username.of("alice"), Username.of("bob"), Username.of("carol"))));

    assertThat(modifies.count()).as("modify operations").isEqualTo(1);
    assertThat(answer)
        .containsOnly(
            entry(Username.of("alice"), BatchRevoke.Revoked.REMOVED),
            entry(Username.of("bob"), BatchRevoke.Revoked.REMOVED),
            entry(Username.of("carol"), BatchRevoke.Revoked.ABSENT));
    assertThat(members(DEVELOPERS))
        .containsExactlyInAnyOrder(dn(PLACEHOLDER), person("erin"), person("olivia"));
  }

  /**
   * LDAP refuses a whole modify that deletes one value the entry lacks: a member removed between
   * the batch's read and its modify (someone's single revoke) must not fail the others.
   */
  @Test
  void aMemberGoneBetweenTheReadAndTheModifyFallsBackToOneRevokeEach() throws Exception {
    BatchRevoke batch = connector.capability(BatchRevoke.class).orElseThrow();
    modifies.refuseNextAs(ResultCode.NO_SUCH_ATTRIBUTE);

    var answer =
        batch.revokeAll(
            Target.of(DEVELOPERS),
            new TreeSet<>(List.of(Username.of("alice"), Username.of("bob"))));

    assertThat(answer)
        .containsOnly(
            entry(Username.of("alice"), BatchRevoke.Revoked.REMOVED),
            entry(Username.of("bob"), BatchRevoke.Revoked.REMOVED));
    assertThat(modifies.count()).as("the refused batch, then one each").isEqualTo(3);
    assertThat(members(DEVELOPERS))
        .containsExactlyInAnyOrder(dn(PLACEHOLDER), person("erin"), person("olivia"));
  }

  @Test
  void aBatchRevokeTheDirectoryRefusesFailsWholeAndChangesNothing() throws Exception {
    BatchRevoke batch = connector.capability(BatchRevoke.class).orElseThrow();
    List<String> before = memberValues(DEVELOPERS);
    modifies.refuseNextAs(ResultCode.UNWILLING_TO_PERFORM);

    assertThatThrownBy(
            () ->
                batch.revokeAll(
                    Target.of(DEVELOPERS),
                    new TreeSet<>(List.of(Username.of("alice"), Username.of("bob")))))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining(DEVELOPERS);
    assertThat(memberValues(DEVELOPERS)).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void revokingSomeoneWhoNeverWasAMemberSucceedsAndChangesNothing() throws Exception {
    List<String> before = memberValues(DEVELOPERS);
    assertThat(connector.holds(Username.of("carol"), Target.of(DEVELOPERS))).isFalse();

    assertThatCode(() -> connector.revoke(Username.of("carol"), Target.of(DEVELOPERS)))
        .doesNotThrowAnyException();

    assertThat(memberValues(DEVELOPERS)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(connector.holds(Username.of("carol"), Target.of(DEVELOPERS))).isFalse();
  }

  @ParameterizedTest(name = "user name \"{0}\"")
  @ValueSource(
      strings = {
        "alice)(uid=*",
        "*",
        "al*",
        "bob\\",
        "bob\\\\",
        "\\2a",
        "alice,ou=people",
        "alice,ou=people,dc=portcullis,dc=demo",
        "uid=alice,ou=people,dc=portcullis,dc=demo",
        "*)(objectClass=*",
        ""
      })
  void aHostileUserNameMatchesNobody(String hostile) throws Exception {
    // pasted into a filter, some of these would match alice or everyone and others would break it:
    // the one pattern of names refuses each before the connector could be asked, and the
    // directory's look-up of a person escapes each all the same, so that each is a login name that
    // nobody has
    List<String> staging = memberValues(STAGING);
    List<String> developers = memberValues(DEVELOPERS);

    assertThat(Username.valid(hostile)).as("a user name '%s'", hostile).isEmpty();
    assertThat(new People(ldap, DIRECTORY).find(hostile)).as("whom '%s' finds", hostile).isEmpty();
    assertThatThrownBy(() -> new People(ldap, DIRECTORY).dnOf(hostile))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("no person '" + hostile + "'");

    assertThat(memberValues(STAGING)).containsExactlyInAnyOrderElementsOf(staging);
    assertThat(memberValues(DEVELOPERS)).containsExactlyInAnyOrderElementsOf(developers);
  }

  /**
   * A login name never holds a DN's metacharacters ({@link Username}), but a person's DN may: an
   * entry named by its common name, as Active Directory names people ({@code CN=Smith\, John}).
   */
  @ParameterizedTest(name = "cn \"{0}\"")
  @ValueSource(
      strings = {
        "we*ird",
        "par)(en",
        "com,ma",
        "back\\slash",
        "sla/sh",
        "qu\"ote",
        "pl+us",
        "se;mi",
        "<angle>",
        "#hash",
        " lead",
        "all*)(,\\/+\"; of them"
      })
  void aPersonWhoseDnHoldsSpecialCharactersCanBeGrantedAndRevoked(String cn) throws Exception {
    DN person = addPersonNamed(cn, "odd");

    connector.grant(Username.of("odd"), Target.of(STAGING));

    List<String> values = memberValues(STAGING);
    assertThat(values).hasSize(2);
    assertThat(values.stream().map(LdapGroupConnectorTest::dn))
        .containsExactlyInAnyOrder(dn(PLACEHOLDER), person);
    String stored =
        values.stream()
            .filter(value -> !dn(value).equals(dn(PLACEHOLDER)))
            .findFirst()
            .orElseThrow();
    assertThat(dn(stored).getRDN().getAttributeValues()).containsExactly(cn);
    assertThat(connector.holds(Username.of("odd"), Target.of(STAGING))).isTrue();

    connector.revoke(Username.of("odd"), Target.of(STAGING));

    assertThat(members(STAGING)).containsExactly(dn(PLACEHOLDER));
    assertThat(connector.holds(Username.of("odd"), Target.of(STAGING))).isFalse();
  }

  @ParameterizedTest(name = "group \"{0}\"")
  @ValueSource(
      strings = {"ops, admins (eu)*", "ops/eu", "back\\slash", "qu\"ote", "a+b", "#1", "se;mi <x>"})
  void aGroupWhoseDnHoldsEscapedCharactersWorksAsATarget(String cn) throws Exception {
    DN group = addGroup(cn);
    String target = group.toString();

    connector.grant(Username.of("alice"), Target.of(target));

    assertThat(members(target)).containsExactlyInAnyOrder(dn(PLACEHOLDER), person("alice"));
    assertThat(connector.holds(Username.of("alice"), Target.of(target))).isTrue();
    assertThat(connector.holds(Username.of("bob"), Target.of(target))).isFalse();

    connector.revoke(Username.of("alice"), Target.of(target));

    assertThat(members(target)).containsExactly(dn(PLACEHOLDER));
    assertThat(connector.holds(Username.of("alice"), Target.of(target))).isFalse();
  }

  @Test
  void aGroupWithEscapedCharactersCanBeNamedInAnyEquivalentSpelling() throws Exception {
    addGroup("ops, admins (eu)*");
    String hexEscaped = "CN=ops\\2C admins (eu)\\2A, OU=groups, DC=portcullis, DC=demo";

    connector.grant(Username.of("alice"), Target.of(hexEscaped));

    assertThat(members(hexEscaped)).containsExactlyInAnyOrder(dn(PLACEHOLDER), person("alice"));
    assertThat(connector.holds(Username.of("alice"), Target.of("cn=ops\\, admins (eu)*," + GROUPS)))
        .isTrue();

    connector.revoke(Username.of("alice"), Target.of(hexEscaped));

    assertThat(members(hexEscaped)).containsExactly(dn(PLACEHOLDER));
  }

  @ParameterizedTest(name = "target \"{0}\"")
  @ValueSource(strings = {"not a dn", "cn=unterminated\\", "cn=developers,,dc=demo", "=developers"})
  void validateTargetRefusesWhatIsNotADn(String target) {
    assertThatThrownBy(() -> connector.validateTarget(Target.of(target)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + target + "' is not a valid DN");
  }

  @Test
  void validateTargetRefusesTheEmptyDn() {
    assertThatThrownBy(() -> connector.validateTarget(Target.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a group DN");
  }

  @Test
  void validateTargetAcceptsAGroupDn() {
    assertThatCode(() -> connector.validateTarget(Target.of(STAGING))).doesNotThrowAnyException();
    assertThatCode(() -> connector.validateTarget(Target.of("cn=ops\\, admins (eu)*," + GROUPS)))
        .doesNotThrowAnyException();
  }

  /**
   * What discovery reads and what was granted are matched as DNs, as the directory matches them.
   */
  @Test
  void twoSpellingsOfOneGroupsDnAreTheSameTarget() {
    assertThat(
            connector.sameTarget(
                Target.of(STAGING),
                Target.of("CN=staging-db-admin, OU=groups, DC=portcullis, DC=demo")))
        .isTrue();
    assertThat(
            connector.sameTarget(
                Target.of("CN=ops\\2C admins (eu)\\2A," + GROUPS),
                Target.of("cn=ops\\, admins (eu)*," + GROUPS)))
        .isTrue();
    assertThat(connector.sameTarget(Target.of(STAGING), Target.of(PROD_DB))).isFalse();
  }

  @Test
  void aGroupThatDoesNotExistFailsWithAConnectorExceptionNamingIt() throws Exception {
    String missing = "cn=no-such-group," + GROUPS;

    assertThatThrownBy(() -> connector.grant(Username.of("alice"), Target.of(missing)))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining(missing);
    assertThatThrownBy(() -> connector.holds(Username.of("alice"), Target.of(missing)))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining(missing);
    assertThat(server.getEntry(missing)).isNull();
  }

  @Test
  void membersAreComparedAsDnsNotAsText() throws Exception {
    // the directory matches member values by distinguishedNameMatch, so the connector's canonical
    // spelling is found equal to the one stored, on add (already there) as on delete (removed)
    String otherSpelling = "UID=alice, OU=People, DC=portcullis, DC=demo";
    server.modify(STAGING, new Modification(ModificationType.ADD, "member", otherSpelling));
    assertThat(memberValues(STAGING)).containsExactlyInAnyOrder(PLACEHOLDER, otherSpelling);

    assertThat(connector.holds(Username.of("alice"), Target.of(STAGING))).isTrue();

    connector.grant(Username.of("alice"), Target.of(STAGING));
    assertThat(memberValues(STAGING)).containsExactlyInAnyOrder(PLACEHOLDER, otherSpelling);

    connector.revoke(Username.of("alice"), Target.of(STAGING));

    assertThat(members(STAGING)).containsExactly(dn(PLACEHOLDER));
    assertThat(connector.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    assertThatCode(() -> connector.revoke(Username.of("alice"), Target.of(STAGING)))
        .doesNotThrowAnyException();
  }

  // --- discovery, as LDAP does it

  @Test
  void discoveryAnswersTheDirectorysDnOfEveryGroupUnderTheGroupsBaseThatNamesThePerson()
      throws Exception {
    // a member value spelt differently, a group with escaped characters, and one outside ou=groups
    server.modify(
        STAGING,
        new Modification(
            ModificationType.ADD, "member", "UID=alice, OU=People, DC=portcullis, DC=demo"));
    DN odd = addGroup("ops, admins (eu)*");
    server.modify(
        odd.toString(),
        new Modification(ModificationType.ADD, "member", person("alice").toString()));
    Entry outside = new Entry("cn=elsewhere," + BASE);
    outside.addAttribute("objectClass", "top", "groupOfNames");
    outside.addAttribute("member", person("alice").toString());
    server.add(outside);

    assertThat(discovery().holdings(Username.of("alice")))
        .map(LdapGroupConnectorTest::dn)
        .containsExactlyInAnyOrder(dn(DEVELOPERS), dn(STAGING), odd);
    assertThat(discovery().holdings(Username.of("ALICE")))
        .as("names compare as the directory compares them")
        .isEqualTo(discovery().holdings(Username.of("alice")));
  }

  @Test
  void discoveryReadsEveryPageOfAPersonInManyGroups() throws Exception {
    List<DN> expected = new ArrayList<>(List.of(dn(DEVELOPERS)));
    for (int i = 0; i < 25; i++) {
      DN group = addGroup("many-" + i);
      server.modify(
          group.toString(),
          new Modification(ModificationType.ADD, "member", person("alice").toString()));
      expected.add(group);
    }

    // pages of two: thirteen pages
    assertThat(discovery().holdings(Username.of("alice")))
        .map(LdapGroupConnectorTest::dn)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest(name = "cn \"{0}\"")
  @ValueSource(
      strings = {
        "we*ird",
        "par)(en",
        "com,ma",
        "back\\slash",
        "qu\"ote",
        "pl+us",
        "#hash",
        "all*)(,\\/+\"; of them"
      })
  void discoveryFindsThePersonWhoseDnHoldsSpecialCharactersAndNobodyElse(String cn)
      throws Exception {
    DN person = addPersonNamed(cn, "odd");
    assertThat(discovery().holdings(Username.of("odd"))).isEmpty();

    server.modify(PROD_DB, new Modification(ModificationType.ADD, "member", person.toString()));

    assertThat(discovery().holdings(Username.of("odd")))
        .map(LdapGroupConnectorTest::dn)
        .containsExactly(dn(PROD_DB));
  }

  // --- account control, the stashed-password way of the demo directory

  @Test
  void aStashedPasswordComesBackByteForByteAndLeavesNoTrace() throws Exception {
    // a hashed password, as a real directory would hold it
    byte[] hashed = "{SSHA}aGFzaGVkLXBhc3N3b3JkLXZhbHVl\u00e9".getBytes(StandardCharsets.UTF_8);
    server.modify(
        person("erin").toString(),
        new Modification(ModificationType.REPLACE, "userPassword", hashed));
    Entry before = server.getEntry(person("erin").toString(), "*");

    accountControl().disable(Username.of("erin"));

    Entry disabled = server.getEntry(person("erin").toString(), "*");
    assertThat(disabled.hasAttribute("userPassword")).isFalse();
    assertThat(disabled.getObjectClassValues()).contains("portcullisDisabledAccount");
    assertThat(disabled.getAttributeValue("portcullisStashedPassword"))
        .isEqualTo(Base64.getEncoder().encodeToString(hashed));

    accountControl().enable(Username.of("erin"));

    Entry after = server.getEntry(person("erin").toString(), "*");
    assertThat(after.getAttributeValueBytes("userPassword")).isEqualTo(hashed);
    assertThat(after.getAttributes()).containsExactlyInAnyOrderElementsOf(before.getAttributes());
  }

  @Test
  void aPersonWithoutAPasswordCanBeDisabledAndEnabled() throws Exception {
    addPerson("service");

    accountControl().disable(Username.of("service"));
    assertThat(accountControl().isDisabled(Username.of("service"))).isTrue();

    accountControl().enable(Username.of("service"));
    assertThat(accountControl().isDisabled(Username.of("service"))).isFalse();
    assertThat(server.getEntry(person("service").toString()).getObjectClassValues())
        .doesNotContain("portcullisDisabledAccount");
  }

  @Test
  void aPasswordSetWhileDisabledIsMovedAsideByTheNextDisable() throws Exception {
    accountControl().disable(Username.of("alice"));
    server.modify(
        person("alice").toString(),
        new Modification(ModificationType.ADD, "userPassword", "reset-by-admin"));
    assertThat(canBind(person("alice").toString(), "reset-by-admin")).isTrue();

    accountControl().disable(Username.of("alice"));

    assertThat(canBind(person("alice").toString(), "reset-by-admin")).isFalse();
    assertThat(canAuthenticate(Username.of("alice"))).isFalse();
  }

  @Test
  void disablingTellsTheGroupCacheSoNothingStaleIsServed() throws Exception {
    GroupMemberships cached =
        new GroupMemberships(
            ldap, DIRECTORY, new DirectoryPoolProperties(Duration.ofSeconds(30), null, null));
    LdapGroupConnector withCache =
        new LdapGroupConnector(
            ldap,
            DIRECTORY,
            cached,
            new LdapGroupProperties(2, AccountControlSettings.of(DisableMethod.STASHED_PASSWORD)));
    assertThat(cached.of(Username.of("alice"))).containsExactly("developers");
    server.modify(
        STAGING, new Modification(ModificationType.ADD, "member", person("alice").toString()));
    assertThat(cached.of(Username.of("alice"))).as("cached").containsExactly("developers");

    withCache.capability(AccountControl.class).orElseThrow().disable(Username.of("alice"));

    assertThat(cached.of(Username.of("alice")))
        .containsExactlyInAnyOrder("developers", "staging-db-admin");
  }

  @Test
  void withoutAMethodThereIsNoAccountControl() {
    LdapGroupConnector plain = new LdapGroupConnector(ldap, DIRECTORY);

    assertThat(plain.capability(AccountControl.class)).isEmpty();
    assertThat(plain.capability(Discovery.class)).containsSame(plain);
  }

  private Discovery discovery() {
    return capability(Discovery.class);
  }

  private AccountControl accountControl() {
    return capability(AccountControl.class);
  }

  // --- reading and writing the directory directly, past the connector

  /** The member values of a group exactly as the directory stores them. */
  static List<String> memberValues(String group) throws LDAPException {
    SearchResultEntry entry = server.getEntry(group, "member");
    assertThat(entry).as("group %s", group).isNotNull();
    String[] values = entry.getAttributeValues("member");
    return values == null ? List.of() : Arrays.asList(values);
  }

  /** The member values of a group, as DNs. */
  static List<DN> members(String group) throws LDAPException {
    return memberValues(group).stream().map(LdapGroupConnectorTest::dn).toList();
  }

  /** The DN of the one person with this uid, found by the directory, not by the connector. */
  static DN person(String uid) throws LDAPException {
    List<SearchResultEntry> found =
        server
            .search(PEOPLE, SearchScope.SUB, Filter.createEqualityFilter("uid", uid))
            .getSearchEntries();
    assertThat(found).as("people with uid %s", uid).hasSize(1);
    return found.get(0).getParsedDN();
  }

  /** Counts the modify operations the directory receives, and refuses one when told to. */
  static final class Modifies extends InMemoryOperationInterceptor {
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<ResultCode> refuseNext = new AtomicReference<>();

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request)
        throws LDAPException {
      count.incrementAndGet();
      ResultCode refusal = refuseNext.getAndSet(null);
      if (refusal != null) {
        throw new LDAPException(refusal, "refused by the test");
      }
    }

    int count() {
      return count.get();
    }

    void refuseNextAs(ResultCode code) {
      refuseNext.set(code);
    }

    void reset() {
      count.set(0);
      refuseNext.set(null);
    }
  }

  static DN addPerson(String uid) throws LDAPException {
    DN dn = new DN(new RDN("uid", uid), dn(PEOPLE));
    Entry entry = new Entry(dn);
    entry.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
    entry.addAttribute("uid", uid);
    entry.addAttribute("cn", uid);
    entry.addAttribute("sn", uid);
    server.add(entry);
    return dn;
  }

  /** A person whose entry is named by its common name, with a plain login name. */
  static DN addPersonNamed(String cn, String uid) throws LDAPException {
    DN dn = new DN(new RDN("cn", cn), dn(PEOPLE));
    Entry entry = new Entry(dn);
    entry.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
    entry.addAttribute("uid", uid);
    entry.addAttribute("cn", cn);
    entry.addAttribute("sn", uid);
    server.add(entry);
    return dn;
  }

  static DN addGroup(String cn) throws LDAPException {
    DN dn = new DN(new RDN("cn", cn), dn(GROUPS));
    Entry entry = new Entry(dn);
    entry.addAttribute("objectClass", "top", "groupOfNames");
    entry.addAttribute("cn", cn);
    entry.addAttribute("member", PLACEHOLDER);
    server.add(entry);
    return dn;
  }

  static DN dn(Target target) {
    return dn(target.value());
  }

  static DN dn(String dn) {
    try {
      return new DN(dn);
    } catch (LDAPException e) {
      throw new AssertionError("'" + dn + "' is not a DN", e);
    }
  }
}
