package io.portcullis.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.TimeMeter;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.connector.AccountDisabled;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.LeavingPeople;
import io.portcullis.kernel.Username;
import io.portcullis.security.LoginRefusals.Tried;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The one login of every door (Portcullis' API, the engine's REST API, the webapps' login form):
 * checks a name and password against the directory and answers with the caller under the
 * directory's own name for them (docs/architecture.md, rule 12: one name per person). The directory
 * matches names without regard to case; every comparison and audit record after this uses the
 * canonical name.
 *
 * <p>Every failed login is audited, without its password ({@link LoginRefusals}: one by one, then
 * in summaries); repeated failures are slowed down ({@link LoginThrottle}) before any password is
 * checked, in a way that no stranger's failures refuse a right password. A service account that
 * proved itself with its token ({@link TokenLogin}) gets its groups and roles here too, from the
 * directory like everyone's.
 */
@Component
public class DirectoryLogin {

  private static final Logger log = LoggerFactory.getLogger(DirectoryLogin.class);

  /** The actor of a login that did not succeed: nobody is known yet. */
  static final String ANONYMOUS = "anonymous";

  private final IdentityService identity;
  private final CommandExecutor commands;
  private final RoleProperties roles;
  private final AuditTrail trail;
  private final LoginThrottle throttle;
  private final LoginRefusals refusals;
  private final GroupMemberships memberships;
  private final LeavingPeople leaving;
  private final RecentLogins recent;

  /** A service account's name as the directory spells it, kept as long as a login is remembered. */
  private final Cache<String, String> accountIds;

  @Autowired
  DirectoryLogin(
      IdentityService identity,
      ProcessEngine engine,
      RoleProperties roles,
      @Lazy AuditTrail trail,
      LoginThrottleProperties throttle,
      LoginRefusals refusals,
      GroupMemberships memberships,
      LeavingPeople leaving,
      @Value("${portcullis.login.remember-for:PT30S}") Duration rememberFor) {
    this.identity = identity;
    this.commands =
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
            .getCommandExecutorTxRequired();
    this.roles = roles;
    this.trail = trail;
    this.throttle = new LoginThrottle(throttle, TimeMeter.SYSTEM_NANOTIME);
    this.refusals = refusals;
    this.memberships = memberships;
    this.leaving = leaving;
    this.recent = new RecentLogins(rememberFor);
    this.accountIds =
        Caffeine.newBuilder()
            .expireAfterWrite(rememberFor.isZero() ? Duration.ofNanos(1) : rememberFor)
            .maximumSize(1_000)
            .build();
  }

  /**
   * @param door where the login came in ({@code api}, {@code engine-rest}, {@code webapp}), for the
   *     audit record
   * @param address the client's address (the connection's, or the client a trusted proxy names),
   *     which the throttle counts
   * @return the caller, or empty when the name or password is wrong
   * @throws LoginThrottledException when this name failed too often from this address lately
   *     ({@link LoginThrottle})
   * @throws DirectoryUnavailableException when the directory could not be asked
   */
  public Optional<Caller> login(String name, String password, String door, String address) {
    String attempted = Username.valid(name).map(Username::value).orElse(null);
    var wait = throttle.waitBefore(attempted, address);
    if (wait.isPresent()) {
      refusals.throttled(door, Tried.name(attempted), address);
      throw new LoginThrottledException(wait.get());
    }
    Optional<Caller> caller =
        attempted == null || password == null || password.isEmpty()
            ? Optional.empty()
            : askDirectory(door, attempted, () -> check(attempted, password));
    if (caller.isEmpty()) {
      throttle.failed(attempted, address);
      refusals.failed(door, Tried.name(attempted), address);
    } else if (leaving.frozen(caller.get().username())) {
      // the right password of someone who is leaving: the directory may not have been told yet
      refused(caller.get().username().value(), door, address, null);
      return Optional.empty();
    }
    return caller;
  }

  /**
   * A service account that proved itself with its token ({@link TokenLogin}): the caller under the
   * directory's own name for it, with the groups (and so the roles) the directory gives it, as if
   * it had logged in with its password. Refused when the directory does not know it, or an
   * offboarding froze it.
   */
  Optional<Caller> serviceAccount(String name, String door, String address) {
    String canonical =
        askDirectory(
            door,
            name,
            () ->
                accountIds.get(
                    name,
                    n -> {
                      User user = identity.createUserQuery().userId(n).singleResult();
                      return user == null ? null : user.getId();
                    }));
    if (canonical == null) {
      refused(name, door, address, "the service account is not in the directory");
      return Optional.empty();
    }
    if (leaving.frozen(Username.of(canonical))) {
      refused(canonical, door, address, null);
      return Optional.empty();
    }
    Username account = Username.of(canonical);
    List<String> groups = askDirectory(door, canonical, () -> memberships.of(account));
    return Optional.of(new Caller(account, groups, rolesOf(groups)));
  }

  /**
   * A directory look-up for a login, as nobody (the engine shows people and groups only to admins);
   * a directory that does not answer is an outage the caller is told of, not a wrong password.
   */
  private <T> T askDirectory(String door, String name, Supplier<T> work) {
    try {
      return withoutCaller(work);
    } catch (RuntimeException e) {
      if (!DirectoryUnavailableException.isOutage(e)) {
        throw e;
      }
      log.warn("login at {} for {}: the directory did not answer ({})", door, name, e.getMessage());
      throw new DirectoryUnavailableException(e);
    }
  }

  /** A person whose account a connector disabled logs in through the directory again at once. */
  @EventListener
  void accountDisabled(AccountDisabled disabled) {
    recent.forget(disabled.username().value());
  }

  private Optional<Caller> check(String name, String password) {
    Optional<String> canonical =
        recent.canonicalFor(name, password).or(() -> directoryCheck(name, password));
    return canonical
        .map(Username::of)
        .map(
            person -> {
              List<String> groups = memberships.of(person);
              return new Caller(person, groups, rolesOf(groups));
            });
  }

  /** The directory's own name for the person, when the directory accepts this password for them. */
  private Optional<String> directoryCheck(String name, String password) {
    // the look-up and the bind in one engine command: each call on its own took a transaction of
    // its own (a pooled connection and a commit) for what only the directory answers (issue 31)
    String canonical =
        commands.execute(
            context -> {
              User user = identity.createUserQuery().userId(name).singleResult();
              return user != null && identity.checkPassword(user.getId(), password)
                  ? user.getId()
                  : null;
            });
    if (canonical == null) {
      return Optional.empty();
    }
    recent.remember(name, password, canonical);
    return Optional.of(canonical);
  }

  /**
   * Directory look-ups for a login run as nobody: the engine shows people and groups only to
   * admins.
   */
  private <T> T withoutCaller(Supplier<T> work) {
    var current = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      return work.get();
    } finally {
      if (current != null) {
        identity.setAuthentication(current);
      }
    }
  }

  /**
   * The right credential of someone who may not log in: audited one by one, as only they can try
   * it.
   */
  private void refused(String name, String door, String address, String why) {
    AuditEvent.Draft draft =
        AuditEvent.Draft.by(ANONYMOUS, AuditAction.LOGIN_REFUSED)
            .detail("door", door)
            .detail("name", name)
            .detail("address", address);
    trail.recordOnItsOwn(why == null ? draft : draft.detail("why", why));
  }

  private Set<Caller.Role> rolesOf(List<String> groups) {
    Set<Caller.Role> result = EnumSet.noneOf(Caller.Role.class);
    if (groups.contains(roles.adminGroup())) {
      result.add(Caller.Role.ADMIN);
    }
    if (groups.contains(roles.auditorGroup())) {
      result.add(Caller.Role.AUDITOR);
    }
    if (groups.contains(roles.hrGroup())) {
      result.add(Caller.Role.HR);
    }
    return result;
  }
}
