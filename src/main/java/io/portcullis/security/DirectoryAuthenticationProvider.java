package io.portcullis.security;

import io.portcullis.directory.GroupMemberships;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Checks HTTP Basic credentials against the engine's identity service, that is, against the directory,
 * and loads the caller's groups from it. The principal of the resulting authentication is a
 * {@link Caller}.
 */
@Component
class DirectoryAuthenticationProvider implements AuthenticationProvider {

  /** A user name that could not be a login is refused before it reaches the directory. */
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private final IdentityService identity;
  private final RoleProperties roles;
  private final GroupMemberships memberships;

  DirectoryAuthenticationProvider(IdentityService identity, RoleProperties roles, GroupMemberships memberships) {
    this.identity = identity;
    this.roles = roles;
    this.memberships = memberships;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String username = authentication.getName();
    Object credentials = authentication.getCredentials();
    if (username == null || !USERNAME.matcher(username).matches() || credentials == null || credentials.toString().isEmpty()) {
      throw new BadCredentialsException("bad credentials");
    }
    if (!identity.checkPassword(username, credentials.toString())) {
      throw new BadCredentialsException("bad credentials");
    }
    List<String> groups = memberships.of(username);
    Caller caller = new Caller(username, groups, rolesOf(groups));
    List<GrantedAuthority> authorities = new ArrayList<>();
    caller.roles().forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r.name())));
    return UsernamePasswordAuthenticationToken.authenticated(caller, null, authorities);
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

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
