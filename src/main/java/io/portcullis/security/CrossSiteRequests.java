package io.portcullis.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.web.PublicUrl;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No other site can make a browser change anything here. A browser that once sent Basic credentials
 * sends them again with any request to the same host, a cross-site form included; so a request that
 * changes state must be one no plain form can make:
 * <ul>
 *   <li>on {@code /api}, a JSON body ({@code Content-Type: application/json}; an empty {@code {}} will
 *       do), which a browser sends cross-site only after a CORS preflight that Portcullis never grants
 *       (415 otherwise);
 *   <li>on {@code /api} and {@code /engine-rest}, no {@code Origin} but Portcullis' own and no {@code
 *       Sec-Fetch-Site} of another site (403 otherwise). Scripts and Camunda Modeler send neither.
 * </ul>
 */
class CrossSiteRequests extends OncePerRequestFilter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final PublicUrl publicUrl;
  private final ObjectMapper json;
  private final boolean requireJson;

  CrossSiteRequests(PublicUrl publicUrl, ObjectMapper json, boolean requireJson) {
    this.publicUrl = publicUrl;
    this.json = json;
    this.requireJson = requireJson;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SAFE.contains(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    String origin = request.getHeader("Origin");
    if ((site != null && !site.equals("same-origin") && !site.equals("none")) || (origin != null && !ownOrigin(origin, request))) {
      refuse(request, response, HttpStatus.FORBIDDEN, "A request from another site cannot change anything here.");
      return;
    }
    if (requireJson && !isJson(request.getContentType())) {
      refuse(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "A request that changes something carries a JSON body: Content-Type: application/json (an empty {} will do).");
      return;
    }
    chain.doFilter(request, response);
  }

  /** The configured public origin, or the origin the request itself was sent to (what the browser shows). */
  private boolean ownOrigin(String origin, HttpServletRequest request) {
    if (origin.equals(publicUrl.origin())) {
      return true;
    }
    String host = request.getHeader("Host");
    return host != null && origin.equals(request.getScheme() + "://" + host);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return type.isCompatibleWith(MediaType.APPLICATION_JSON) || "json".equals(type.getSubtypeSuffix());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail) throws IOException {
    ProblemResponses.write(json, request, response, status, detail);
  }

}
