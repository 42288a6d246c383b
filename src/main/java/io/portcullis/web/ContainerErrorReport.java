package io.portcullis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Tomcat's own error report, for what Tomcat refuses before any filter or servlet sees it (an encoded
 * slash or a {@code ../} hidden by encoding, a NUL or a backslash in the path, a raw {@code {} or
 * {@code \} in the path or the query, which it refuses while still reading the request line): under {@code /api},
 * problem details instead of Tomcat's HTML page; where an {@link ErrorDialect} covers the address, its
 * error; elsewhere Tomcat's page as before (no stack trace, no server version).
 */
final class ContainerErrorReport extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(ContainerErrorReport.class);

  /**
   * The target in Tomcat's refusal of a request line: "... the request target [/api/catalog?x={ ].
   * ...".
   */
  private static final Pattern REFUSED_TARGET = Pattern.compile("\\[(/[^\\]\\s]*)");

  private final ObjectMapper json;
  private final List<ErrorDialect> dialects;

  ContainerErrorReport(ObjectMapper json, List<ErrorDialect> dialects) {
    this.json = json;
    this.dialects = dialects;
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int code = response.getStatus();
    HttpStatus status = HttpStatus.resolve(code);
    String sent = rawUri(request);
    String uri = sent == null || sent.isEmpty() ? refusedTarget(throwable) : sent;
    Optional<ErrorDialect> dialect = dialects.stream().filter(d -> d.covers(uri)).findFirst();
    if (code < 400
        || status == null
        || response.getContentWritten() > 0
        || (dialect.isEmpty() && !ProblemBodies.isApi(uri))) {
      super.report(request, response, throwable);
      return;
    }
    if (!response.setErrorReported()) {
      return;
    }
    try {
      response.resetBuffer();
      if (dialect.isPresent()) {
        dialect.get().write(json, response, status, ErrorDialect.detailOf(status));
      } else {
        ProblemBodies.write(json, response, status, ProblemBodies.detailOf(status), null);
      }
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      log.debug("could not write the problem details of a refused request", e);
    }
  }

  private static String rawUri(Request request) {
    return request.getCoyoteRequest().requestURI().toString();
  }

  /**
   * The path of a request line that Tomcat refused while reading it (a raw {@code {}, {@code \} or a
   * control character in the path or the query, which RFC 3986 does not allow unencoded), before it had
   * a URI. Tomcat names the request target in its refusal, in square brackets, in every language of its
   * messages; null when there is none, and the door's own error is then Tomcat's page, as elsewhere.
   */
  static String refusedTarget(Throwable refusal) {
    if (!(refusal instanceof IllegalArgumentException) || refusal.getMessage() == null) {
      return null;
    }
    Matcher target = REFUSED_TARGET.matcher(refusal.getMessage());
    if (!target.find()) {
      return null;
    }
    String path = target.group(1);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /**
   * In place of Spring Boot's own report (which hides the stack trace and server version, as this
   * one does) and of the one Tomcat's host would add: the error report nearest the request answers.
   */
  @Component
  static final class Installer
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final ObjectMapper json;
    private final ObjectProvider<ErrorDialect> dialects;

    Installer(ObjectMapper json, ObjectProvider<ErrorDialect> dialects) {
      this.json = json;
      this.dialects = dialects;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            Pipeline host = context.getParent().getPipeline();
            for (Valve valve : host.getValves()) {
              if (valve instanceof ErrorReportValve) {
                host.removeValve(valve);
              }
            }
            host.addValve(new ContainerErrorReport(json, dialects.orderedStream().toList()));
            // or the host adds Tomcat's own report at start, nearer the request than this one, and
            // it answers first
            if (context.getParent() instanceof StandardHost standard) {
              standard.setErrorReportValveClass(ContainerErrorReport.class.getName());
            }
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
