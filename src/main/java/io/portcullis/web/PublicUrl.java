package io.portcullis.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The address by which people and clients reach Portcullis, {@code portcullis.public-url}. Links
 * that the engine's REST API writes into its answers are built from it, never from the request's
 * {@code Host} header, which any client can set (a link to an attacker's host, handed to the next
 * reader of the answer).
 */
public final class PublicUrl extends OncePerRequestFilter {

  private final URI url;

  public PublicUrl(URI url) {
    if (url == null
        || url.getScheme() == null
        || url.getHost() == null
        || !url.getScheme().matches("https?")) {
      throw new IllegalArgumentException(
          "portcullis.public-url must be an absolute http(s) URL, such as https://portcullis.example.com");
    }
    this.url = url;
  }

  /** Whether people reach Portcullis over HTTPS. */
  public boolean https() {
    return "https".equals(url.getScheme());
  }

  /** {@code scheme://host[:port]}, as a browser writes it in an {@code Origin} header. */
  public String origin() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(
        new HttpServletRequestWrapper(request) {
          @Override
          public StringBuffer getRequestURL() {
            return new StringBuffer(origin()).append(getRequestURI());
          }

          @Override
          public String getScheme() {
            return url.getScheme();
          }

          @Override
          public String getServerName() {
            return url.getHost();
          }

          @Override
          public int getServerPort() {
            return url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
          }

          @Override
          public boolean isSecure() {
            return "https".equals(url.getScheme());
          }

          @Override
          public String getHeader(String name) {
            return "Host".equalsIgnoreCase(name) ? url.getAuthority() : super.getHeader(name);
          }
        },
        response);
  }
}
