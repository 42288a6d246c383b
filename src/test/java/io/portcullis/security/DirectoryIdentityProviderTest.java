package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import io.portcullis.support.Door;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The engine's identity provider on the demo directory (the in-process UnboundID server), through
 * the engine's identity service and through {@code /engine-rest}: every criterion the engine, the
 * webapps and the REST API use, paging, ordering and counts, filter values escaped, the password
 * checked only for the canonical name and by a bind of its own, and people and groups shown only as
 * the engine's authorizations allow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class DirectoryIdentityProviderTest {

  static final String DOMAIN = "@portcullis.demo";

  @LocalServerPort int port;
  @Autowired IdentityService identity;
  @Autowired AuthorizationService authorizations;
  @Autowired Connectors connectors;

  final List<String> grantedAuthorizations = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    identity.clearAuthentication();
    grantedAuthorizations.forEach(authorizations::deleteAuthorization);
    grantedAuthorizations.clear();
    accountControl().enable(Username.of("olivia"));
  }

  // people, by each criterion

  @Test
  void aPersonById_withTheDirectorysAttributes_andTheDirectorysSpelling() {
    User alice = identity.createUserQuery().userId("alice").singleResult();
    assertThat(alice.getId()).isEqualTo("alice");
    assertThat(alice.getFirstName()).isEqualTo("Alice");
    assertThat(alice.getLastName()).isEqualTo("Anders");
    assertThat(alice.getEmail()).isEqualTo("alice" + DOMAIN);
    // the directory matches names without case, and answers with its own spelling
    assertThat(identity.createUserQuery().userId("ALICE").singleResult().getId())
        .isEqualTo("alice");
    assertThat(identity.createUserQuery().userId("nobody").singleResult()).isNull();
  }

  @Test
  void peopleByEachCriterion() {
    assertThat(ids(identity.createUserQuery().userIdIn("alice", "bob", "nobody").list()))
        .containsExactlyInAnyOrder("alice", "bob");
    assertThat(ids(identity.createUserQuery().userFirstName("Bob").list())).containsExactly("bob");
    assertThat(ids(identity.createUserQuery().userFirstNameLike("%li%").list()))
        .containsExactlyInAnyOrder("alice", "olivia");
    assertThat(ids(identity.createUserQuery().userLastName("Chen").list()))
        .containsExactly("carol");
    assertThat(ids(identity.createUserQuery().userLastNameLike("Fi%").list()))
        .containsExactly("frank");
    assertThat(ids(identity.createUserQuery().userEmail("dave" + DOMAIN).list()))
        .containsExactly("dave");
    assertThat(ids(identity.createUserQuery().userEmailLike("%" + DOMAIN).list()))
        .contains("alice", "bob", "carol", "dave", "erin", "frank", "hr-system", "olivia");
    assertThat(ids(identity.createUserQuery().memberOfGroup("team-leads").list()))
        .containsExactly("bob");
    assertThat(ids(identity.createUserQuery().memberOfGroup("security").list()))
        .containsExactly("carol");
    assertThat(
            ids(
                identity
                    .createUserQuery()
                    .memberOfGroup("developers")
                    .userFirstNameLike("%li%")
                    .list()))
        .containsExactlyInAnyOrder("alice", "olivia");
    assertThat(identity.createUserQuery().memberOfGroup("no-such-group").list()).isEmpty();
    assertThat(identity.createUserQuery().memberOfTenant("any").list()).isEmpty();
    assertThat(identity.createUserQuery().userIdIn().list()).isEmpty();
  }

  @Test
  void peoplePagedOrderedAndCounted() {
    List<String> everyone =
        ids(identity.createUserQuery().userEmailLike("%" + DOMAIN).orderByUserId().asc().list());
    assertThat(everyone).isSorted().hasSizeGreaterThanOrEqualTo(8);
    assertThat(identity.createUserQuery().userEmailLike("%" + DOMAIN).count())
        .isEqualTo(everyone.size());
    assertThat(
            ids(
                identity
                    .createUserQuery()
                    .userEmailLike("%" + DOMAIN)
                    .orderByUserId()
                    .asc()
                    .listPage(2, 3)))
        .containsExactlyElementsOf(everyone.subList(2, 5));
    assertThat(
            ids(
                identity
                    .createUserQuery()
                    .userEmailLike("%" + DOMAIN)
                    .orderByUserId()
                    .desc()
                    .list()))
        .containsExactlyElementsOf(reversed(everyone));
    assertThat(
            ids(
                identity
                    .createUserQuery()
                    .userLastNameLike("%")
                    .orderByUserLastName()
                    .asc()
                    .listPage(0, 2)))
        .containsExactly("alice", "bob"); // Anders, Baker
    assertThat(identity.createUserQuery().memberOfGroup("team-leads").count()).isEqualTo(1);
  }

  // groups, by each criterion

  @Test
  void groupsByEachCriterion() {
    Group developers = identity.createGroupQuery().groupId("developers").singleResult();
    assertThat(developers.getId()).isEqualTo("developers");
    assertThat(developers.getName()).isEqualTo("developers");
    assertThat(ids(identity.createGroupQuery().groupIdIn("security", "auditors", "nope").list()))
        .containsExactlyInAnyOrder("security", "auditors");
    assertThat(ids(identity.createGroupQuery().groupName("security").list()))
        .containsExactly("security");
    assertThat(ids(identity.createGroupQuery().groupNameLike("team-%").list()))
        .containsExactly("team-leads");
    assertThat(ids(identity.createGroupQuery().groupMember("carol").list()))
        .containsExactly("security");
    assertThat(ids(identity.createGroupQuery().groupMember("bob").list()))
        .contains("developers", "team-leads")
        .doesNotContain("security");
    assertThat(identity.createGroupQuery().groupMember("nobody").list()).isEmpty();
    assertThat(identity.createGroupQuery().groupType("WORKFLOW").list()).isEmpty();
    assertThat(identity.createGroupQuery().memberOfTenant("any").list()).isEmpty();
    assertThat(identity.createGroupQuery().groupId("auditors").singleResult().getId())
        .isEqualTo("auditors");
  }

  @Test
  void groupsPagedOrderedAndCounted() {
    List<String> all = ids(identity.createGroupQuery().orderByGroupId().asc().list());
    assertThat(all)
        .isSorted()
        .contains("auditors", "developers", "hr-systems", "portcullis-admins", "security");
    assertThat(identity.createGroupQuery().count()).isEqualTo(all.size());
    assertThat(ids(identity.createGroupQuery().orderByGroupId().asc().listPage(1, 2)))
        .containsExactlyElementsOf(all.subList(1, 3));
    assertThat(identity.createGroupQuery().groupMember("bob").count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void noTenants_noNativeQueries_noPotentialStarters_andReadOnly() {
    assertThat(identity.createTenantQuery().list()).isEmpty();
    assertThat(identity.createTenantQuery().userMember("alice").count()).isZero();
    assertThat(identity.isReadOnly()).isTrue();
    assertThatThrownBy(() -> identity.createNativeUserQuery())
        .isInstanceOf(BadUserRequestException.class);
    assertThatThrownBy(() -> identity.createUserQuery().potentialStarter("any").list())
        .isInstanceOf(BadUserRequestException.class);
  }

  // escaping

  @Test
  void aCraftedValueMatchesOnlyItself() {
    for (String crafted : List.of("*", "alice)(uid=*", "*)(|(uid=*", "\\2a", "a*")) {
      assertThat(identity.createUserQuery().userId(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createUserQuery().userIdIn(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createUserQuery().userFirstName(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createUserQuery().userFirstNameLike(crafted).list())
          .as(crafted)
          .isEmpty();
      assertThat(identity.createUserQuery().userEmailLike(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createUserQuery().memberOfGroup(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createGroupQuery().groupId(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createGroupQuery().groupName(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createGroupQuery().groupNameLike(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.createGroupQuery().groupMember(crafted).list()).as(crafted).isEmpty();
      assertThat(identity.checkPassword(crafted, "alice-demo")).as(crafted).isFalse();
    }
  }

  @Test
  void aCraftedIdAtTheEngineRestApiWidensNoSearch() {
    Door door = new Door(port);
    for (String path :
        List.of(
            "/engine-rest/user?id=*",
            "/engine-rest/user?idIn=*",
            "/engine-rest/user?firstName=*",
            "/engine-rest/user?lastNameLike=*",
            "/engine-rest/user?id=" + encoded("alice)(uid=*"),
            "/engine-rest/group?id=*",
            "/engine-rest/group?name=*",
            "/engine-rest/group?member=*")) {
      Door.Answer answer = door.call("GET", path).as("dave").send();
      assertThat(answer.status()).as(path).isEqualTo(200);
      assertThat(answer.json()).as(path).isEmpty();
    }
    // the engine's own wildcard still works for an admin
    assertThat(
            door.call("GET", "/engine-rest/user?firstNameLike=" + encoded("Ali%"))
                .as("dave")
                .send()
                .json()
                .findValuesAsText("id"))
        .containsExactly("alice");
  }

  // passwords

  @Test
  void aPasswordIsCheckedOnlyForTheCanonicalName() {
    assertThat(identity.checkPassword("bob", "bob-demo")).isTrue();
    assertThat(identity.checkPassword("BOB", "bob-demo")).isFalse();
    assertThat(identity.checkPassword("bob ", "bob-demo")).isFalse();
    assertThat(identity.checkPassword("bob", "wrong")).isFalse();
    assertThat(identity.checkPassword("bob", "")).isFalse();
    assertThat(identity.checkPassword("nobody", "nobody-demo")).isFalse();
  }

  /**
   * A person disabled since their last login is refused at once, although that login left a
   * connection that bound as them: the password is checked by a bind of its own, never on a pooled
   * connection, which the JDK hands back without asking the directory again.
   */
  @Test
  void aDisabledPersonIsRefusedAtOnce_andLetInOnceEnabledAgain() {
    assertThat(identity.checkPassword("olivia", "olivia-demo")).isTrue();
    assertThat(identity.checkPassword("olivia", "olivia-demo")).isTrue();

    accountControl().disable(Username.of("olivia"));
    assertThat(identity.checkPassword("olivia", "olivia-demo")).isFalse();

    accountControl().enable(Username.of("olivia"));
    assertThat(identity.checkPassword("olivia", "olivia-demo")).isTrue();
  }

  // authorizations

  @Test
  void aPersonSeesThemselves_andOnlyWhatTheEnginesAuthorizationsAllow() {
    identity.setAuthentication("alice", List.of("developers"));
    assertThat(ids(identity.createUserQuery().list())).containsExactly("alice");
    assertThat(identity.createUserQuery().count()).isEqualTo(1);
    assertThat(identity.createUserQuery().userId("bob").singleResult()).isNull();
    assertThat(identity.createUserQuery().memberOfGroup("developers").list()).isEmpty();
    assertThat(identity.createGroupQuery().list()).isEmpty();
    assertThat(identity.createGroupQuery().groupMember("alice").count()).isZero();
    // nor may she try someone else's password through the engine
    assertThat(identity.checkPassword("bob", "bob-demo")).isFalse();
    assertThat(identity.checkPassword("alice", "alice-demo")).isTrue();

    identity.clearAuthentication();
    grant("alice", Resources.USER, "bob");
    grant("alice", Resources.GROUP, "team-leads");
    identity.setAuthentication("alice", List.of("developers"));
    assertThat(ids(identity.createUserQuery().list())).containsExactlyInAnyOrder("alice", "bob");
    assertThat(ids(identity.createGroupQuery().list())).containsExactly("team-leads");
    assertThat(ids(identity.createUserQuery().memberOfGroup("team-leads").list()))
        .containsExactly("bob");
    assertThat(ids(identity.createGroupQuery().groupMember("bob").list()))
        .containsExactly("team-leads");

    identity.setAuthentication("dave", List.of("portcullis-admins"));
    assertThat(ids(identity.createUserQuery().list())).contains("alice", "bob", "carol");
  }

  @Test
  void theEngineRestApiShowsPeopleAndGroupsOnlyToWhomTheAuthorizationsAllow() {
    Door door = new Door(port);
    assertThat(
            door.call("GET", "/engine-rest/user").as("alice").send().json().findValuesAsText("id"))
        .containsExactly("alice");
    assertThat(
            door.call("GET", "/engine-rest/user/count")
                .as("alice")
                .send()
                .json()
                .get("count")
                .asInt())
        .isEqualTo(1);
    assertThat(door.call("GET", "/engine-rest/user/bob/profile").as("alice").send().status())
        .isEqualTo(404);
    assertThat(door.call("GET", "/engine-rest/group").as("alice").send().json()).isEmpty();
    assertThat(door.call("GET", "/engine-rest/group/developers").as("alice").send().status())
        .isEqualTo(404);
    assertThat(
            door.call("POST", "/engine-rest/identity/verify")
                .as("alice")
                .json(Map.of("username", "bob", "password", "bob-demo"))
                .send()
                .json()
                .get("authenticated")
                .asBoolean())
        .as("alice may not try bob's password through the engine")
        .isFalse();

    assertThat(
            door.call("GET", "/engine-rest/user?potentialStarter=any").as("dave").send().status())
        .as("the directory knows no potential starters: refused, not answered with everyone")
        .isEqualTo(400);

    assertThat(
            door.call("GET", "/engine-rest/user/bob/profile")
                .as("dave")
                .send()
                .json()
                .get("id")
                .asText())
        .isEqualTo("bob");
    JsonNode groups = door.call("GET", "/engine-rest/group?member=bob").as("dave").send().json();
    assertThat(groups.findValuesAsText("id")).contains("developers", "team-leads");
    assertThat(
            door.call("GET", "/engine-rest/user?memberOfGroup=team-leads")
                .as("dave")
                .send()
                .json()
                .findValuesAsText("id"))
        .containsExactly("bob");
  }

  private void grant(String user, Resources resource, String id) {
    Authorization authorization =
        authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    authorization.setUserId(user);
    authorization.setResource(resource);
    authorization.setResourceId(id);
    authorization.addPermission(Permissions.READ);
    grantedAuthorizations.add(authorizations.saveAuthorization(authorization).getId());
  }

  private AccountControl accountControl() {
    return connectors.named(ConnectorName.of("ldap-group"), AccountControl.class).orElseThrow();
  }

  private static List<String> reversed(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    Collections.reverse(copy);
    return copy;
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> ids(List<?> entries) {
    return entries.stream()
        .map(e -> e instanceof User u ? u.getId() : ((Group) e).getId())
        .toList();
  }
}
