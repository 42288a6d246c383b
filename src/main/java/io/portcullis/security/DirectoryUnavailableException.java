package io.portcullis.security;

import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.springframework.ldap.NamingException;
import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * The directory did not answer a login (down, or silent past its read timeout): nothing is known
 * about the password, so the caller is told to try again ({@code 503} with {@code Retry-After}),
 * neither refused as if the password were wrong nor shown a {@code 500}. Not a failed login: it is
 * not counted by the throttle.
 */
class DirectoryUnavailableException extends AuthenticationServiceException {

  /** How long a caller is asked to wait: the directory's own timeouts are seconds. */
  static final long RETRY_AFTER_SECONDS = 5;

  DirectoryUnavailableException(RuntimeException cause) {
    super("the directory did not answer", cause);
  }

  /**
   * Whether a login failed because the directory could not be asked (the engine's identity
   * provider, {@link DirectoryEntries}, says so with an {@code IdentityProviderException}; Spring
   * LDAP's own calls with a {@code NamingException}).
   */
  static boolean isOutage(RuntimeException e) {
    return e instanceof IdentityProviderException || e instanceof NamingException;
  }
}
