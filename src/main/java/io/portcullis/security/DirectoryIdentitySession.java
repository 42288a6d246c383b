package io.portcullis.security;

import static org.camunda.bpm.engine.authorization.Permissions.READ;
import static org.camunda.bpm.engine.authorization.Resources.GROUP;
import static org.camunda.bpm.engine.authorization.Resources.USER;

import io.portcullis.directory.DirectoryProperties;
import io.portcullis.security.DirectoryEntries.Person;
import io.portcullis.security.DirectoryEntries.Team;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.naming.ldap.LdapName;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.GroupQuery;
import org.camunda.bpm.engine.identity.NativeUserQuery;
import org.camunda.bpm.engine.identity.Tenant;
import org.camunda.bpm.engine.identity.TenantQuery;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.identity.UserQuery;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.Direction;
import org.camunda.bpm.engine.impl.GroupQueryProperty;
import org.camunda.bpm.engine.impl.QueryOrderingProperty;
import org.camunda.bpm.engine.impl.UserQueryProperty;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.ReadOnlyIdentityProvider;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.GroupEntity;
import org.camunda.bpm.engine.impl.persistence.entity.UserEntity;
import org.springframework.ldap.filter.Filter;

/**
 * The engine's identity provider (one per command): the directory's people and groups for Tasklist,
 * Cockpit, Admin, {@code /engine-rest} and the engine itself, read-only. Its rules:
 *
 * <ul>
 *   <li>People and groups are shown only to whom the engine's authorizations allow: a person is
 *       visible to themselves and to holders of {@code READ} on that {@code USER}, a group to
 *       holders of {@code READ} on that {@code GROUP} (admins hold everything, {@code
 *       AdministratorAuthorizationPlugin}); without an authenticated caller (Portcullis' own
 *       look-ups, a login) everything is. The check is the engine's own, asked for every entry as
 *       Camunda's LDAP plugin did, even in a command that turned the engine's checks off.
 *   <li>A password is checked only for the directory's own spelling of a person's name
 *       (docs/architecture.md, rule 12: a door that did not canonicalize fails closed here), only
 *       for a person the caller may see, and by a bind of its own ({@link DirectoryEntries#binds}).
 *   <li>Every value of a query enters the directory's filter escaped ({@link DirectoryFilters}).
 * </ul>
 *
 * <p>The directory knows no tenants and no potential starters: tenant queries are empty, and a
 * {@code potentialStarter} criterion is refused rather than answered with everyone.
 */
class DirectoryIdentitySession implements ReadOnlyIdentityProvider {

  private static final Map<String, Function<Person, String>> PERSON_ORDER =
      Map.of(
          UserQueryProperty.USER_ID.getName(), Person::id,
          UserQueryProperty.FIRST_NAME.getName(), Person::firstName,
          UserQueryProperty.LAST_NAME.getName(), Person::lastName,
          UserQueryProperty.EMAIL.getName(), Person::email);

  private static final Map<String, Function<Team, String>> TEAM_ORDER =
      Map.of(
          GroupQueryProperty.GROUP_ID.getName(), Team::id,
          GroupQueryProperty.NAME.getName(), Team::id);

  private final DirectoryEntries entries;
  private final DirectoryProperties directory;

  DirectoryIdentitySession(DirectoryEntries entries) {
    this.entries = entries;
    this.directory = entries.settings();
  }

  static DirectoryIdentitySession of(CommandContext context) {
    return (DirectoryIdentitySession) context.getReadOnlyIdentityProvider();
  }

  // people

  @Override
  public User findUserById(String userId) {
    return createUserQuery(Context.getCommandContext()).userId(userId).singleResult();
  }

  @Override
  public UserQuery createUserQuery() {
    return new DirectoryUserQuery(
        Context.getProcessEngineConfiguration().getCommandExecutorTxRequired());
  }

  @Override
  public UserQuery createUserQuery(CommandContext context) {
    return new DirectoryUserQuery();
  }

  @Override
  public NativeUserQuery createNativeUserQuery() {
    throw new BadUserRequestException("the directory answers no native (SQL) user queries");
  }

  List<User> findUsers(DirectoryUserQuery query) {
    CommandContext context = Context.getCommandContext();
    return page(matching(query), person -> mayRead(context, person), query).stream()
        .map(DirectoryIdentitySession::user)
        .toList();
  }

  long countUsers(DirectoryUserQuery query) {
    CommandContext context = Context.getCommandContext();
    return matching(query).stream().filter(person -> mayRead(context, person)).count();
  }

  /**
   * Whether the directory accepts this password for the person of exactly this name, asked by a
   * bind of its own.
   */
  @Override
  public boolean checkPassword(String userId, String password) {
    if (userId == null || userId.isEmpty() || password == null || password.isEmpty()) {
      return false;
    }
    CommandContext context = Context.getCommandContext();
    List<Person> found =
        entries.people(DirectoryFilters.is(directory.userIdAttribute(), userId)).stream()
            .filter(person -> userId.equals(person.id()))
            .toList();
    if (found.size() != 1 || !mayRead(context, found.get(0))) {
      return false;
    }
    return entries.binds(found.get(0).dn(), password);
  }

  // groups

  @Override
  public Group findGroupById(String groupId) {
    return createGroupQuery(Context.getCommandContext()).groupId(groupId).singleResult();
  }

  @Override
  public GroupQuery createGroupQuery() {
    return new DirectoryGroupQuery(
        Context.getProcessEngineConfiguration().getCommandExecutorTxRequired());
  }

  @Override
  public GroupQuery createGroupQuery(CommandContext context) {
    return new DirectoryGroupQuery();
  }

  List<Group> findGroups(DirectoryGroupQuery query) {
    CommandContext context = Context.getCommandContext();
    return page(matching(query), team -> mayRead(context, team), query).stream()
        .map(DirectoryIdentitySession::group)
        .toList();
  }

  long countGroups(DirectoryGroupQuery query) {
    CommandContext context = Context.getCommandContext();
    return matching(query).stream().filter(team -> mayRead(context, team)).count();
  }

  // tenants: none

  @Override
  public Tenant findTenantById(String tenantId) {
    return null;
  }

  @Override
  public TenantQuery createTenantQuery() {
    return new NoTenantQuery(
        Context.getProcessEngineConfiguration().getCommandExecutorTxRequired());
  }

  @Override
  public TenantQuery createTenantQuery(CommandContext context) {
    return new NoTenantQuery();
  }

  // the session holds nothing: every call borrows a pooled connection and gives it back

  @Override
  public void flush() {
    // read-only
  }

  @Override
  public void close() {
    // nothing held
  }

  /** The people the query's criteria select, before the caller's authorizations, in order. */
  private List<Person> matching(DirectoryUserQuery query) {
    if (query.potentialStarterOf() != null) {
      throw new BadUserRequestException("the directory cannot answer potentialStarter");
    }
    if (query.getTenantId() != null || (query.getIds() != null && query.getIds().length == 0)) {
      return List.of();
    }
    String id = directory.userIdAttribute();
    List<Filter> criteria = new ArrayList<>();
    if (query.getId() != null) {
      criteria.add(DirectoryFilters.is(id, query.getId()));
    }
    if (query.getIds() != null) {
      criteria.add(DirectoryFilters.isOneOf(id, query.getIds()));
    }
    exactOrLike(
        criteria, DirectoryEntries.FIRST_NAME, query.getFirstName(), query.getFirstNameLike());
    exactOrLike(criteria, DirectoryEntries.LAST_NAME, query.getLastName(), query.getLastNameLike());
    exactOrLike(criteria, DirectoryEntries.EMAIL, query.getEmail(), query.getEmailLike());
    Filter filter = DirectoryFilters.allOf(criteria.toArray(Filter[]::new));
    List<Person> people;
    if (query.getGroupId() == null) {
      people = entries.people(filter);
    } else {
      Set<LdapName> members = membersOfVisibleGroup(query.getGroupId());
      people =
          members.isEmpty()
              ? List.of()
              : entries.people(filter).stream().filter(p -> members.contains(p.dn())).toList();
    }
    return ordered(
        people.stream().filter(person -> person.id() != null).toList(), query, PERSON_ORDER);
  }

  /** The groups the query's criteria select, before the caller's authorizations, in order. */
  private List<Team> matching(DirectoryGroupQuery query) {
    if (query.potentialStarterOf() != null) {
      throw new BadUserRequestException("the directory cannot answer potentialStarter");
    }
    // the directory's groups have no type and no tenant
    if (query.getType() != null
        || query.getTenantId() != null
        || (query.getIds() != null && query.getIds().length == 0)) {
      return List.of();
    }
    String id = directory.groupIdAttribute();
    List<Filter> criteria = new ArrayList<>();
    if (query.getId() != null) {
      criteria.add(DirectoryFilters.is(id, query.getId()));
    }
    if (query.getIds() != null) {
      criteria.add(DirectoryFilters.isOneOf(id, query.getIds()));
    }
    exactOrLike(criteria, id, query.getName(), query.getNameLike());
    if (query.getUserId() != null) {
      List<Person> member = visiblePeopleNamed(query.getUserId());
      if (member.isEmpty()) {
        return List.of();
      }
      criteria.add(
          DirectoryFilters.isOneOf(
              directory.memberAttribute(),
              member.stream().map(p -> p.dn().toString()).toArray(String[]::new)));
    }
    List<Team> teams =
        entries.groups(DirectoryFilters.allOf(criteria.toArray(Filter[]::new))).stream()
            .filter(team -> team.id() != null)
            .toList();
    return ordered(teams, query, TEAM_ORDER);
  }

  /**
   * The member DNs of the group of this id, when the caller may see that group (its members are
   * then shown as far as the caller may see each of them).
   */
  private Set<LdapName> membersOfVisibleGroup(String groupId) {
    CommandContext context = Context.getCommandContext();
    Filter named = DirectoryFilters.is(directory.groupIdAttribute(), groupId);
    boolean visible = entries.groups(named).stream().anyMatch(team -> mayRead(context, team));
    return visible ? entries.membersOf(named) : Set.of();
  }

  /** The people of this name whom the caller may see (whose groups the caller may then ask). */
  private List<Person> visiblePeopleNamed(String userId) {
    CommandContext context = Context.getCommandContext();
    return entries.people(DirectoryFilters.is(directory.userIdAttribute(), userId)).stream()
        .filter(person -> person.id() != null && mayRead(context, person))
        .toList();
  }

  private static void exactOrLike(
      List<Filter> criteria, String attribute, String exact, String pattern) {
    if (exact != null) {
      criteria.add(DirectoryFilters.is(attribute, exact));
    }
    if (pattern != null) {
      criteria.add(DirectoryFilters.like(attribute, pattern));
    }
  }

  private static boolean mayRead(CommandContext context, Person person) {
    return person.id().equals(context.getAuthenticatedUserId())
        || isAuthorized(context, USER, person.id());
  }

  private static boolean mayRead(CommandContext context, Team team) {
    return isAuthorized(context, GROUP, team.id());
  }

  /**
   * The engine's own check of the current authentication: true without one, and for an admin (this
   * form of the check holds even where a command turned the engine's checks off, as for Camunda's
   * LDAP plugin).
   */
  private static boolean isAuthorized(CommandContext context, Resource resource, String id) {
    return context.getAuthorizationManager().isAuthorized(READ, resource, id);
  }

  /**
   * The entries the caller may see, from the query's first result, at most its maximum: visibility
   * is asked only until the page is full (a count asks it of every entry).
   */
  private static <T> List<T> page(
      List<T> candidates, Predicate<T> visible, AbstractQuery<?, ?> query) {
    int first = Math.max(0, query.getFirstResult());
    int max = query.getMaxResults();
    List<T> page = new ArrayList<>();
    int seen = 0;
    for (T candidate : candidates) {
      if (page.size() >= max) {
        break;
      }
      if (visible.test(candidate) && seen++ >= first) {
        page.add(candidate);
      }
    }
    return page;
  }

  /** Sorted by the query's ordering, in memory; without one, in the directory's order. */
  private static <T> List<T> ordered(
      List<T> entries, AbstractQuery<?, ?> query, Map<String, Function<T, String>> keys) {
    Comparator<T> order = null;
    for (QueryOrderingProperty property : query.getOrderingProperties()) {
      Function<T, String> key = keys.get(property.getQueryProperty().getName());
      if (key == null) {
        continue;
      }
      Comparator<T> next =
          Comparator.comparing(key, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER));
      if (Direction.DESCENDING.equals(property.getDirection())) {
        next = next.reversed();
      }
      order = order == null ? next : order.thenComparing(next);
    }
    if (order == null) {
      return entries;
    }
    List<T> sorted = new ArrayList<>(entries);
    sorted.sort(order);
    return sorted;
  }

  private static User user(Person person) {
    UserEntity user = new UserEntity(person.id());
    user.setFirstName(person.firstName());
    user.setLastName(person.lastName());
    user.setEmail(person.email());
    return user;
  }

  private static Group group(Team team) {
    GroupEntity group = new GroupEntity(team.id());
    group.setName(team.id());
    return group;
  }
}
