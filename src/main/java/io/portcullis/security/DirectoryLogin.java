package io.portcullis.security;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.connector.AccountDisabled;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import io.portcullis.directory.GroupMemberships;
import org.camunda.bpm.engine.identity.User;
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
 * directory's own name for them (DESIGN rule 12: one name per person). The directory matches names
 * without regard to case; every comparison and audit record after this uses the canonical name.
 *
 * <p>Every failed login is audited, without its password; repeated failures for a name or an address
 * are slowed down ({@link LoginThrottle}) before any password is checked.
 */
@Component
public class DirectoryLogin {

  private static final Logger log = LoggerFactory.getLogger(DirectoryLogin.class);

  /** A user name that could not be a login is refused before it reaches the directory. */
  /** The actor of a login that did not succeed: nobody is known yet. */
  static final String ANONYMOUS = "anonymous";

  private static final Pattern USERNAME = Pattern.compile(Caller.USERNAME_PATTERN);

  private final IdentityService identity;
  private final RoleProperties roles;
  private final AuditTrail trail;
  private final LoginThrottle throttle;
  private final GroupMemberships memberships;
  private final LeavingPeople leaving;
  private final RecentLogins recent;

  @Autowired
  DirectoryLogin(IdentityService identity, RoleProperties roles, @Lazy AuditTrail trail, LoginThrottleProperties throttle,
      GroupMemberships memberships, LeavingPeople leaving,
      @Value("${portcullis.login.remember-for:PT30S}") Duration rememberFor) {
    this(identity, roles, trail, new LoginThrottle(throttle, TimeMeter.SYSTEM_NANOTIME), memberships, leaving,
        new RecentLogins(rememberFor));
  }

  DirectoryLogin(IdentityService identity, RoleProperties roles, AuditTrail trail, LoginThrottle throttle,
      GroupMemberships memberships, LeavingPeople leaving, RecentLogins recent) {
    this.recent = recent;
    this.memberships = memberships;
    this.leaving = leaving;
    this.identity = identity;
    this.roles = roles;
    this.trail = trail;
    this.throttle = throttle;
  }

  /**
   * @param door where the login came in ({@code api}, {@code engine-rest}, {@code webapp}), for the audit record
   * @param address the client's address, which the throttle also counts
   * @return the caller, or empty when the name or password is wrong
   * @throws LoginThrottledException when too many logins failed for this name or address lately
   * @throws DirectoryUnavailableException when the directory could not be asked
   */
  public Optional<Caller> login(String name, String password, String door, String address) {
    String attempted = name != null && USERNAME.matcher(name).matches() ? name : null;
    var wait = throttle.waitBefore(attempted, address);
    if (wait.isPresent()) {
      audit(AuditAction.LOGIN_THROTTLED, attempted, door, address);
      throw new LoginThrottledException(wait.get());
    }
    Optional<Caller> caller;
    try {
      caller = attempted == null || password == null || password.isEmpty() ? Optional.empty()
          : withoutCaller(() -> check(attempted, password));
    } catch (RuntimeException e) {
      if (!DirectoryUnavailableException.isOutage(e)) {
        throw e;
      }
      log.warn("login at {} for {}: the directory did not answer ({})", door, attempted, e.getMessage());
      throw new DirectoryUnavailableException(e);
    }
    if (caller.isEmpty()) {
      throttle.failed(attempted, address);
      audit(AuditAction.LOGIN_FAILED, attempted, door, address);
    } else if (leaving.frozen(caller.get().username())) {
      // the right password of someone who is leaving: the directory may not have been told yet
      audit(AuditAction.LOGIN_REFUSED, caller.get().username(), door, address);
      return Optional.empty();
    }
    return caller;
  }

  /** A person whose account a connector disabled logs in through the directory again at once. */
  @EventListener
  void accountDisabled(AccountDisabled disabled) {
    recent.forget(disabled.username());
  }

  private Optional<Caller> check(String name, String password) {
    Optional<String> canonical = recent.canonicalFor(name, password).or(() -> directoryCheck(name, password));
    return canonical.map(person -> {
      List<String> groups = memberships.of(person);
      return new Caller(person, groups, rolesOf(groups));
    });
  }

  /** The directory's own name for the person, when the directory accepts this password for them. */
  private Optional<String> directoryCheck(String name, String password) {
    User user = identity.createUserQuery().userId(name).singleResult();
    if (user == null || !identity.checkPassword(user.getId(), password)) {
      return Optional.empty();
    }
    recent.remember(name, password, user.getId());
    return Optional.of(user.getId());
  }

  /** Directory look-ups for a login run as nobody: the engine shows people and groups only to admins. */
  private <T> T withoutCaller(java.util.function.Supplier<T> work) {
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

  private void audit(String action, String attempted, String door, String address) {
    trail.recordOnItsOwn(AuditEvent.Draft.by(ANONYMOUS, action)
        .detail("door", door)
        .detail("name", attempted == null ? "[not a user name]" : attempted)
        .detail("address", address));
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
