package io.portcullis.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.web.PublicUrl;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No other site can make a browser change anything here. A browser that once sent Basic credentials
 * sends them again with any request to the same host, a cross-site form included; so a request that
 * changes state must be one no plain form can make:
 *
 * <ul>
 *   <li>on {@code /api}, a JSON body ({@code Content-Type: application/json}; an empty {@code {}}
 *       will do), which a browser sends cross-site only after a CORS preflight that Portcullis
 *       never grants (415 otherwise);
 *   <li>on {@code /api} and {@code /engine-rest}, no {@code Origin} but Portcullis' own and no
 *       {@code Sec-Fetch-Site} of another site (403 otherwise). Scripts and Camunda Modeler send
 *       neither.
 * </ul>
 *
 * Portcullis' own origin is {@code portcullis.public-url}'s (and those {@code
 * portcullis.cross-site.allowed-origins} lists), never the one the request names in its {@code
 * Host} header: a page on a host name that an attacker rebinds to Portcullis' address sends an
 * {@code Origin} and a {@code Host} that agree, and the browser still sends the Basic credentials
 * it holds for that address.
 */
class CrossSiteRequests extends OncePerRequestFilter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final Set<String> ownOrigins;
  private final ObjectMapper json;
  private final boolean requireJson;

  CrossSiteRequests(
      PublicUrl publicUrl, CrossSiteProperties crossSite, ObjectMapper json, boolean requireJson) {
    Set<String> origins = new LinkedHashSet<>();
    origins.add(CrossSiteProperties.origin(publicUrl.origin(), "portcullis.public-url"));
    origins.addAll(crossSite.allowedOrigins());
    this.ownOrigins = Set.copyOf(origins);
    this.json = json;
    this.requireJson = requireJson;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SAFE.contains(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    String origin = request.getHeader("Origin");
    if ((site != null && !site.equals("same-origin") && !site.equals("none"))
        || (origin != null && !ownOrigins.contains(origin.toLowerCase(Locale.ROOT)))) {
      refuse(
          request,
          response,
          HttpStatus.FORBIDDEN,
          "A request from another site cannot change anything here.");
      return;
    }
    if (requireJson && !isJson(request.getContentType())) {
      refuse(
          request,
          response,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "A request that changes something carries a JSON body: Content-Type: application/json (an empty {} will do).");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return type.isCompatibleWith(MediaType.APPLICATION_JSON)
          || "json".equals(type.getSubtypeSuffix());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    ProblemResponses.write(json, request, response, status, detail);
  }
}
