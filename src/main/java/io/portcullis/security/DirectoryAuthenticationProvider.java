package io.portcullis.security;

import io.portcullis.kernel.Caller;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * HTTP Basic credentials, checked by the {@link DirectoryLogin} of every door. The principal of the
 * resulting authentication is a {@link Caller}, under the directory's own name for them.
 */
class DirectoryAuthenticationProvider implements AuthenticationProvider {

  private final DirectoryLogin login;
  private final String door;

  DirectoryAuthenticationProvider(DirectoryLogin login, String door) {
    this.login = login;
    this.door = door;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    // the request's remote address: Tomcat's RemoteIpValve has put the client a trusted proxy names
    // there, never a header anyone sends
    String address =
        authentication.getDetails() instanceof WebAuthenticationDetails web
            ? web.getRemoteAddress()
            : null;
    Object credentials = authentication.getCredentials();
    Caller caller =
        login
            .login(
                authentication.getName(),
                credentials == null ? null : credentials.toString(),
                door,
                address)
            .orElseThrow(() -> new BadCredentialsException("bad credentials"));
    List<GrantedAuthority> authorities = new ArrayList<>();
    caller.roles().forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r.name())));
    return UsernamePasswordAuthenticationToken.authenticated(caller, null, authorities);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
