package io.portcullis.security;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The login form of Tasklist, Cockpit and Admin goes through the same {@link DirectoryLogin} as
 * every other door: a failed login is audited and counted by the throttle, a throttled one is
 * answered 429 before Camunda checks anything, and a good one reaches Camunda's login under the
 * directory's own name for the person, so the webapps' session, authorizations and decisions all
 * see that one name. A login that Camunda then refuses for the app (alice into Cockpit) is audited
 * as a refusal.
 */
class WebappLogin extends OncePerRequestFilter {

  /** {@code POST .../auth/user/{engine}/login/{app}}, below the webapps' path. */
  private static final Pattern LOGIN =
      Pattern.compile(".*/api/admin/auth/user/[^/]+/login/[^/]+/?");

  private static final int MAX_BODY = 8 * 1024;

  private final DirectoryLogin login;
  private final AuditTrail trail;

  WebappLogin(DirectoryLogin login, AuditTrail trail) {
    this.login = login;
    this.trail = trail;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || !LOGIN.matcher(request.getRequestURI()).matches();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    byte[] raw = request.getInputStream().readNBytes(MAX_BODY + 1);
    if (raw.length > MAX_BODY) {
      response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
      return;
    }
    Map<String, String> form = parse(new String(raw, StandardCharsets.UTF_8));
    Optional<Caller> caller;
    try {
      caller =
          login.login(
              form.get("username"), form.get("password"), "webapp", request.getRemoteAddr());
    } catch (LoginThrottledException throttled) {
      response.setHeader("Retry-After", String.valueOf(throttled.retryAfterSeconds()));
      response.setStatus(429);
      return;
    } catch (DirectoryUnavailableException down) {
      response.setHeader(
          "Retry-After", String.valueOf(DirectoryUnavailableException.RETRY_AFTER_SECONDS));
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      return;
    }
    if (caller.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    form.put("username", caller.get().username().value());
    chain.doFilter(new WithBody(request, encode(form)), response);
    if (response.getStatus() == HttpServletResponse.SC_FORBIDDEN) {
      String app = request.getRequestURI().replaceAll(".*/login/([^/]+)/?$", "$1");
      trail.recordOnItsOwn(
          AuditEvent.Draft.by(caller.get().username(), AuditAction.ACTION_REFUSED)
              .detail("door", "webapp")
              .detail("attempted", "log into " + app)
              .detail("why", "the webapp is not authorized for this person"));
    }
  }

  private static Map<String, String> parse(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.putIfAbsent(name, value);
    }
    return form;
  }

  private static byte[] encode(Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (name, value) ->
            body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The login request with its form rewritten, as a stream and as parameters alike. */
  private static final class WithBody extends HttpServletRequestWrapper {

    private final byte[] body;
    private final Map<String, String[]> parameters = new LinkedHashMap<>();

    WithBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
      parse(new String(body, StandardCharsets.UTF_8))
          .forEach((k, v) -> parameters.put(k, new String[] {v}));
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("blocking reads only");
        }
      };
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public String getHeader(String name) {
      return "Content-Length".equalsIgnoreCase(name)
          ? String.valueOf(body.length)
          : super.getHeader(name);
    }

    @Override
    public String getParameter(String name) {
      String[] values = parameters.get(name);
      return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      return Collections.unmodifiableMap(parameters);
    }

    @Override
    public Enumeration<String> getParameterNames() {
      return Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
      return parameters.get(name);
    }
  }
}
