package io.portcullis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The errors of a part of the address space whose protocol has an error body of its own (SCIM's,
 * RFC 7644 §3.12), in place of problem details. A feature contributes one as a bean; the
 * container's error page and Tomcat's error report ask it first, so that an address no controller
 * has, a method it does not take or a request Tomcat refused is answered in that protocol's words
 * too.
 */
public interface ErrorDialect {

  /** Whether the errors of this address (the request URI, as sent) are this dialect's. */
  boolean covers(String requestUri);

  /** The media type of this dialect's error bodies. */
  MediaType mediaType();

  /** The body of an error of {@code status} saying {@code detail}, for Jackson to write. */
  Object body(HttpStatus status, String detail);

  /**
   * Writes {@code status} and this dialect's body, from a filter or the container, outside Spring
   * MVC.
   */
  default void write(
      ObjectMapper json, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(mediaType().toString());
    json.writeValue(response.getOutputStream(), body(status, detail));
  }

  /** What a status means to a client, said without anything of how it came about. */
  static String detailOf(HttpStatus status) {
    return ProblemBodies.detailOf(status);
  }
}
