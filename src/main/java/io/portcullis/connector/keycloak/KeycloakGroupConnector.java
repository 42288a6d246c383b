package io.portcullis.connector.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Grants access as membership of a Keycloak group, through the admin REST API: the target is the
 * group's path ({@code /engineering/prod-readers}), the person the Keycloak user whose user name is
 * the instance's login for them, found by exact search.
 *
 * <p>Keycloak keeps access alive past a change of groups: SSO sessions, the refresh tokens they
 * hold and offline tokens, which survive even a logout. So a revoke removes the membership and then
 * ends all of that ({@link #endSessions}): the user's logout ({@code POST users/{id}/logout}) and
 * the revocation of every consent and offline token, client by client, and reads back that none of
 * the sessions seen before is left. An access token already issued is a signed JWT that lives until
 * it expires; nothing on the Keycloak side can recall it (README, "Keycloak connector").
 *
 * <p>Discovery reads the user's direct groups; account control sets {@code enabled} and ends
 * sessions.
 */
public class KeycloakGroupConnector implements Connector, Discovery, AccountControl {

  /**
   * The most calls one step makes, with one client holding an offline token (each more adds two).
   */
  static final int CALLS_PER_STEP = 20;

  public static final String TYPE = "keycloak-group";

  /** Keycloak's largest page of groups or users. */
  private static final int PAGE = 100;

  private static final int MAX_PATH = 1024;

  private final ConnectorName name;
  private final KeycloakGroupSettings settings;
  private final KeycloakAdminApi api;

  public KeycloakGroupConnector(ConnectorName name, KeycloakGroupSettings settings) {
    this(name, settings, Clock.systemUTC());
  }

  KeycloakGroupConnector(ConnectorName name, KeycloakGroupSettings settings, Clock clock) {
    this.name = name;
    this.settings = settings;
    this.api = new KeycloakAdminApi(settings, clock);
  }

  @Override
  public ConnectorName name() {
    return name;
  }

  /**
   * An absolute group path: {@code /} then names, none empty, none {@code .} or {@code ..} (which a
   * server may resolve in the URL, naming another group), no control character.
   */
  @Override
  public void validateTarget(Target target) {
    String path = target.value();
    if (!path.startsWith("/")
        || path.length() < 2
        || path.endsWith("/")
        || path.contains("//")
        || path.length() > MAX_PATH
        || path.chars().anyMatch(Character::isISOControl)
        || Arrays.stream(path.substring(1).split("/"))
            .anyMatch(name -> name.equals(".") || name.equals(".."))) {
      throw new IllegalArgumentException(
          "the target of a keycloak-group resource must be a group's absolute path, "
              + "e.g. /engineering/prod-readers");
    }
  }

  /**
   * {@value #CALLS_PER_STEP} calls of at most {@code timeout} each: the offboarding's freeze, the
   * longest step (disable: find, read, write the user, then end the sessions; read it back; end the
   * sessions again), where ending the sessions is find the user, read sessions and consents, log
   * out, revoke one client's offline consent, read both back; and the service account's token. 60 s
   * with the default 3 s.
   */
  @Override
  public Duration worstStep() {
    return settings.timeout().multipliedBy(CALLS_PER_STEP);
  }

  @Override
  public void grant(Username username, Target target) {
    validateTarget(target);
    String user = userId(username);
    String group = groupId(target);
    api.change("PUT", api.path("users", user, "groups", group), null)
        .orElseThrow(
            () ->
                new ConnectorException(
                    "Keycloak lost "
                        + username
                        + " or "
                        + target
                        + " while adding the membership"));
  }

  /**
   * Removes the membership, then ends the user's sessions and offline tokens, whether or not the
   * membership was still there: a revoke repeated after a crash between the two must end them too.
   */
  @Override
  public void revoke(Username username, Target target) {
    validateTarget(target);
    String user = userId(username);
    String group = groupId(target);
    api.change("DELETE", api.path("users", user, "groups", group), null);
    endSessionsOf(username, user);
  }

  @Override
  public boolean holds(Username username, Target target) {
    validateTarget(target);
    return groupsOf(username, userId(username)).contains(target.value());
  }

  @Override
  public SortedSet<Target> holdings(Username username) {
    Optional<String> user = findUser(username);
    if (user.isEmpty()) {
      return Collections.emptySortedSet();
    }
    SortedSet<Target> found = new TreeSet<>();
    groupsOf(username, user.get()).forEach(path -> found.add(Target.of(path)));
    return Collections.unmodifiableSortedSet(found);
  }

  @Override
  public void disable(Username username) {
    setEnabled(username, false);
    endSessions(username);
  }

  @Override
  public void enable(Username username) {
    setEnabled(username, true);
  }

  @Override
  public boolean isDisabled(Username username) {
    return !representation(username, userId(username)).path("enabled").asBoolean(true);
  }

  /**
   * Keycloak keeps sessions, so they are ended now and read back: the answer is always {@code
   * true}.
   */
  @Override
  public boolean endSessions(Username username) {
    endSessionsOf(username, userId(username));
    return true;
  }

  // --- users, groups and sessions

  private String userId(Username username) {
    return findUser(username)
        .orElseThrow(
            () ->
                new ConnectorException(
                    "no user '"
                        + settings.loginOf(username)
                        + "' (for "
                        + username
                        + ") in Keycloak realm "
                        + settings.realm()));
  }

  /**
   * The id of the one user whose user name is the login, by Keycloak's exact match; empty for
   * nobody.
   */
  private Optional<String> findUser(Username username) {
    String login = settings.loginOf(username);
    JsonNode found =
        api.get(
                api.path("users")
                    + "?exact=true&briefRepresentation=true&max=2&username="
                    + KeycloakAdminApi.encode(login))
            .orElseThrow(
                () ->
                    new ConnectorException(
                        "Keycloak realm " + settings.realm() + " is not there (404 on its users)"));
    if (found.size() > 1) {
      throw new ConnectorException(
          "more than one Keycloak user matches '"
              + login
              + "' exactly in realm "
              + settings.realm());
    }
    return found.size() == 0 ? Optional.empty() : Optional.of(found.get(0).path("id").asText());
  }

  private String groupId(Target target) {
    // group-by-path takes the path's names as segments of its own URL path
    String[] names = target.value().substring(1).split("/", -1);
    String[] segments = new String[names.length + 1];
    segments[0] = "group-by-path";
    System.arraycopy(names, 0, segments, 1, names.length);
    JsonNode group =
        api.get(api.path(segments))
            .orElseThrow(
                () ->
                    new ConnectorException(
                        "no group " + target + " in Keycloak realm " + settings.realm()));
    return group.path("id").asText();
  }

  /** The paths of the user's direct groups, page by page. */
  private Set<String> groupsOf(Username username, String user) {
    Set<String> paths = new HashSet<>();
    for (int first = 0; ; first += PAGE) {
      JsonNode page =
          api.get(
                  api.path("users", user, "groups")
                      + "?briefRepresentation=true&first="
                      + first
                      + "&max="
                      + PAGE)
              .orElseThrow(
                  () ->
                      new ConnectorException(
                          "Keycloak lost " + username + " while reading their groups"));
      page.forEach(group -> paths.add(group.path("path").asText()));
      if (page.size() < PAGE) {
        return paths;
      }
    }
  }

  private JsonNode representation(Username username, String user) {
    return api.get(api.path("users", user))
        .orElseThrow(
            () ->
                new ConnectorException(
                    "no user " + username + " in Keycloak realm " + settings.realm()));
  }

  /**
   * The whole representation read and written back with {@code enabled} changed, so that nothing
   * else about the user is touched; writing the value it already has changes nothing.
   */
  private void setEnabled(Username username, boolean enabled) {
    String user = userId(username);
    JsonNode current = representation(username, user);
    if (current.path("enabled").asBoolean(!enabled) == enabled) {
      return;
    }
    ObjectNode changed = ((ObjectNode) current).put("enabled", enabled);
    api.change("PUT", api.path("users", user), changed)
        .orElseThrow(
            () ->
                new ConnectorException(
                    "no user " + username + " in Keycloak realm " + settings.realm()));
  }

  /**
   * Logs the user out of every SSO session (their refresh tokens die with them), then revokes,
   * client by client, every consent and offline token, which a logout leaves, and reads back that
   * none of the sessions there were before is left, online or offline.
   */
  private void endSessionsOf(Username username, String user) {
    Set<String> before = sessionIds(username, user);
    List<String> offlineClients = clientsWithGrants(username, user);
    api.change("POST", api.path("users", user, "logout"), null);
    for (String client : offlineClients) {
      // 404: nothing was left to revoke for that client, which is what was wanted
      api.change("DELETE", api.path("users", user, "consents", client), null);
    }
    Set<String> left = sessionIds(username, user);
    left.retainAll(before);
    List<String> grantsLeft = new ArrayList<>(clientsWithGrants(username, user));
    grantsLeft.retainAll(offlineClients);
    if (!left.isEmpty() || !grantsLeft.isEmpty()) {
      throw new ConnectorException(
          left.size()
              + " session(s) and the offline tokens or consents of "
              + grantsLeft.size()
              + " client(s) of "
              + username
              + " are left in Keycloak after the logout");
    }
  }

  /** The ids of the user's online sessions. */
  private Set<String> sessionIds(Username username, String user) {
    JsonNode sessions =
        api.get(api.path("users", user, "sessions"))
            .orElseThrow(
                () ->
                    new ConnectorException(
                        "Keycloak lost " + username + " while reading their sessions"));
    Set<String> ids = new HashSet<>();
    sessions.forEach(session -> ids.add(session.path("id").asText()));
    return ids;
  }

  /** The clients to which the user gave consent or that hold an offline token of theirs. */
  private List<String> clientsWithGrants(Username username, String user) {
    JsonNode consents =
        api.get(api.path("users", user, "consents"))
            .orElseThrow(
                () ->
                    new ConnectorException(
                        "Keycloak lost " + username + " while reading their consents"));
    List<String> clients = new ArrayList<>();
    consents.forEach(consent -> clients.add(consent.path("clientId").asText()));
    return clients;
  }
}
