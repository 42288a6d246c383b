package io.portcullis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The one writer of problem details for the doors that answer outside Spring MVC's message
 * converters: the security filters, the container's error page and Tomcat's own error report.
 */
public final class ProblemBodies {

  private ProblemBodies() {}

  /**
   * Writes {@code status} and a problem-details body with {@code detail}.
   *
   * @param instance the address the problem is about, or null when it is not fit to repeat (a
   *     malformed one)
   */
  public static void write(
      ObjectMapper json,
      HttpServletResponse response,
      HttpStatus status,
      String detail,
      String instance)
      throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    if (instance != null) {
      problem.setInstance(URI.create(instance));
    }
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  /** Under {@code /api}: where every error is problem details, whoever answers. */
  public static boolean isApi(String requestUri) {
    return requestUri != null
        && (requestUri.equals("/api")
            || requestUri.startsWith("/api/")
            || requestUri.startsWith("/api;"));
  }

  /** What a status means to a client, said without anything of how it came about. */
  static String detailOf(HttpStatus status) {
    return switch (status) {
      case BAD_REQUEST ->
          "The request is malformed, or its address is not allowed (an encoded slash, dot or backslash, a semicolon, "
              + "a double slash or a control character).";
      case NOT_FOUND -> "There is nothing at this address.";
      case METHOD_NOT_ALLOWED ->
          "This address does not take this method; the Allow header lists those it takes.";
      case NOT_ACCEPTABLE -> "None of the media types in Accept is offered here.";
      case UNSUPPORTED_MEDIA_TYPE -> "This address does not take a body of this Content-Type.";
      case UNAUTHORIZED ->
          "Authentication is required: HTTP Basic with your directory credentials.";
      case FORBIDDEN -> "Your role does not allow this.";
      default ->
          status.is5xxServerError()
              ? "Something went wrong on our side; it is logged."
              : status.getReasonPhrase() + ".";
    };
  }
}
