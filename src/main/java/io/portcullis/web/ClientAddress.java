package io.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The network address of the client whose HTTP call the current thread serves, for a feature that
 * records where something was asked from (a request's unusual-access flag {@code NEW_ADDRESS}). It
 * is the servlet's remote address: the peer's, or behind a proxy whose forwarded headers are
 * trusted ({@code server.forward-headers-strategy}) the client's the proxy names, never a header a
 * client wrote itself. Every door (the API, Tasklist, the engine's REST API) runs its work on the
 * thread of its call; work of the job executor has no client, and no address.
 */
public final class ClientAddress {

  /** Long enough for any IPv6 text form with a zone; anything longer is not an address. */
  private static final int MAX_LENGTH = 64;

  private ClientAddress() {}

  public static Optional<String> current() {
    if (RequestContextHolder.getRequestAttributes()
        instanceof ServletRequestAttributes attributes) {
      HttpServletRequest request = attributes.getRequest();
      String address = request.getRemoteAddr();
      if (address != null && !address.isBlank() && address.length() <= MAX_LENGTH) {
        return Optional.of(address);
      }
    }
    return Optional.empty();
  }
}
