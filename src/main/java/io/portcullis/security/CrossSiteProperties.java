package io.portcullis.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which sites besides {@code portcullis.public-url}'s own may send browser requests that change
 * state, under {@code portcullis.cross-site} ({@link CrossSiteRequests}). None by default.
 *
 * @param allowedOrigins origins as a browser writes them in {@code Origin}: {@code
 *     scheme://host[:port]}, nothing more (a path, query or user stops start-up, since a browser
 *     never sends one)
 */
@ConfigurationProperties("portcullis.cross-site")
record CrossSiteProperties(List<String> allowedOrigins) {

  CrossSiteProperties {
    allowedOrigins =
        allowedOrigins == null
            ? List.of()
            : allowedOrigins.stream()
                .map(o -> origin(o, "portcullis.cross-site.allowed-origins"))
                .toList();
  }

  /**
   * An origin as a browser serializes it: scheme and host in lower case, the scheme's default port
   * left out, so that a setting written {@code https://Portcullis.example.com:443/} matches what
   * browsers send.
   */
  static String origin(String text, String setting) {
    URI uri;
    try {
      uri = new URI(text == null ? "" : text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          setting + ": '" + text + "' is not an origin (scheme://host[:port])");
    }
    String path = uri.getRawPath();
    if (uri.getScheme() == null
        || !uri.getScheme().matches("(?i)https?")
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || (path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          setting + ": '" + text + "' is not an origin (scheme://host[:port])");
    }
    return origin(uri);
  }

  static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort =
        port < 0
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return scheme
        + "://"
        + uri.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }
}
