package io.portcullis.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The plugin APIs of Cockpit and Admin ({@code /camunda/api/cockpit/plugin/...}, {@code
 * /camunda/api/admin/plugin/...}) are for those who may open Cockpit or Admin. Camunda lets any
 * logged-in person call them, a Tasklist session included, and Cockpit's count every person's
 * instances and incidents by process definition. Who may open which webapp is the engine's
 * application authorization, read at login into the session (everyone: Tasklist; admins: all of
 * them). A refusal is 403 in the webapps' own error shape, and audited.
 */
class WebappPluginApis extends OncePerRequestFilter {

  /** The webapps whose plugin APIs only their own users may call. */
  private static final Set<String> GUARDED = Set.of("cockpit", "admin");

  private final String applicationPath;
  private final ObjectMapper json;
  private final AuditTrail trail;

  WebappPluginApis(String applicationPath, ObjectMapper json, AuditTrail trail) {
    this.applicationPath = applicationPath;
    this.json = json;
    this.trail = trail;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    String prefix = applicationPath + "/api/";
    if (!path.startsWith(prefix)) {
      chain.doFilter(request, response);
      return;
    }
    // {app}/plugin/{plugin}/{engine}/..., where {engine} "static" is the plugin's scripts and
    // styles
    String[] segments = path.substring(prefix.length()).split("/");
    boolean pluginApi =
        segments.length >= 5
            && GUARDED.contains(segments[0])
            && "plugin".equals(segments[1])
            && !"static".equals(segments[3]);
    HttpSession session = request.getSession(false);
    Authentications authentications =
        session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
    Authentication caller =
        authentications == null
            ? null
            : authentications.getAuthenticationForProcessEngine(pluginApi ? segments[3] : "");
    if (!pluginApi
        || !(caller instanceof UserAuthentication user)
        || user.isAuthorizedForApp(segments[0])) {
      // not a guarded API, or nobody logged in for that engine: the webapps' own filter answers 401
      chain.doFilter(request, response);
      return;
    }
    String app = segments[0].substring(0, 1).toUpperCase() + segments[0].substring(1);
    trail.recordOnItsOwn(
        AuditEvent.Draft.by(user.getName(), AuditAction.ACTION_REFUSED)
            .detail("door", "webapp")
            .detail("attempted", request.getMethod() + " " + path)
            .detail("why", app + "'s plugin API is for those who may open " + app));
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(
        response.getOutputStream(),
        Map.of(
            "type",
            "Forbidden",
            "message",
            app
                + " is for administrators: its API counts every person's instances. Tasklist and /api show you yours."));
  }
}
