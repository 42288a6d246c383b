package io.portcullis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The container's error page ({@code /error}), where every error ends that no controller answered:
 * a request Spring Security's firewall rejects, an address no controller has (404), a method it
 * does not take (405), an exception nothing handled (500). Under {@code /api} the answer is problem
 * details, whatever the client accepts; where an {@link ErrorDialect} covers the address (SCIM),
 * that dialect's error; elsewhere (the webapps, Actuator) it is Spring Boot's as before.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ApiErrorPage extends BasicErrorController {

  private final ObjectMapper json;
  private final List<ErrorDialect> dialects;

  ApiErrorPage(
      ErrorAttributes errors,
      ServerProperties server,
      ObjectProvider<ErrorViewResolver> resolvers,
      ObjectMapper json,
      ObjectProvider<ErrorDialect> dialects) {
    super(errors, server.getError(), resolvers.orderedStream().toList());
    this.json = json;
    this.dialects = dialects.orderedStream().toList();
  }

  @Override
  public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
    Optional<ErrorDialect> dialect = dialectOf(request);
    if (dialect.isPresent()) {
      HttpStatus status = getStatus(request);
      try {
        dialect.get().write(json, response, status, ErrorDialect.detailOf(status));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return null;
    }
    if (!ProblemBodies.isApi(originalUri(request))) {
      return super.errorHtml(request, response);
    }
    HttpStatus status = getStatus(request);
    try {
      ProblemBodies.write(
          json, response, status, ProblemBodies.detailOf(status), instance(request, status));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // answered: no view to render
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
    Optional<ErrorDialect> dialect = dialectOf(request);
    if (dialect.isPresent()) {
      HttpStatus status = getStatus(request);
      return ResponseEntity.status(status)
          .contentType(dialect.get().mediaType())
          .body(
              json.convertValue(
                  dialect.get().body(status, ErrorDialect.detailOf(status)), Map.class));
    }
    if (!ProblemBodies.isApi(originalUri(request))) {
      return super.error(request);
    }
    HttpStatus status = getStatus(request);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(status, ProblemBodies.detailOf(status));
    String instance = instance(request, status);
    if (instance != null) {
      problem.setInstance(URI.create(instance));
    }
    // the type is set here, so the client's Accept cannot turn this into a 406
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(json.convertValue(problem, Map.class));
  }

  private Optional<ErrorDialect> dialectOf(HttpServletRequest request) {
    String uri = originalUri(request);
    return uri == null
        ? Optional.empty()
        : dialects.stream().filter(d -> d.covers(uri)).findFirst();
  }

  private static String originalUri(HttpServletRequest request) {
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    return uri == null ? null : uri.toString();
  }

  /** The address, unless it is the malformed one that was refused. */
  private static String instance(HttpServletRequest request, HttpStatus status) {
    String uri = originalUri(request);
    if (status == HttpStatus.BAD_REQUEST || uri == null) {
      return null;
    }
    try {
      return URI.create(uri).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
