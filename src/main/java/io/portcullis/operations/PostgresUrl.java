package io.portcullis.operations;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a PostgreSQL JDBC URL says about its transport, read as the PostgreSQL driver reads it: the
 * hosts ({@code jdbc:postgresql://h1:5432,h2:5432/db}, {@code [::1]}; none is {@code localhost})
 * and the parameters after {@code ?}. TLS is on when {@code sslmode} is {@code require}, {@code
 * verify-ca} or {@code verify-full}, or when {@code ssl} is set without an {@code sslmode} (the
 * driver then verifies in full); {@code prefer}, {@code allow} and {@code disable} fall back to
 * clear text, which an attacker on the path can force.
 */
record PostgresUrl(List<String> hosts, Map<String, String> parameters) {

  static final String PREFIX = "jdbc:postgresql:";
  private static final Set<String> TLS_MODES = Set.of("require", "verify-ca", "verify-full");

  static PostgresUrl parse(String url) {
    if (!url.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
    }
    String rest = url.substring(PREFIX.length());
    int query = rest.indexOf('?');
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          String key = decode(eq < 0 ? pair : pair.substring(0, eq));
          parameters.put(
              key.toLowerCase(Locale.ROOT), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
      }
      rest = rest.substring(0, query);
    }
    List<String> hosts = new ArrayList<>();
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      for (String hostPort : authority.split(",")) {
        hosts.add(host(hostPort));
      }
    }
    if (hosts.isEmpty() || hosts.stream().allMatch(String::isEmpty)) {
      hosts = List.of("localhost");
    }
    return new PostgresUrl(List.copyOf(hosts), Map.copyOf(parameters));
  }

  /**
   * Whether the driver speaks TLS, from the URL or from the data source's own properties (which
   * win).
   */
  boolean tls(Map<String, String> dataSourceProperties) {
    Map<String, String> all = new LinkedHashMap<>(parameters);
    dataSourceProperties.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
    String mode = all.get("sslmode");
    if (mode != null) {
      return TLS_MODES.contains(mode.strip().toLowerCase(Locale.ROOT));
    }
    String ssl = all.get("ssl");
    return ssl != null && (ssl.isBlank() || Boolean.parseBoolean(ssl.strip()));
  }

  /** Whether every connection stays on this machine: loopback hosts only, or a Unix socket. */
  boolean local() {
    String factory = parameters.getOrDefault("socketfactory", "");
    return factory.contains("AFUNIXSocketFactory")
        || hosts.stream().allMatch(PostgresUrl::loopback);
  }

  /** The hosts that are not on this machine, for a message. */
  List<String> remoteHosts() {
    return hosts.stream().filter(h -> !loopback(h)).toList();
  }

  static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
  }

  private static String host(String hostPort) {
    String h = hostPort.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h.substring(1) : h.substring(1, end);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
