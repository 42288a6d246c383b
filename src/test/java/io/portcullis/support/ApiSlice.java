package io.portcullis.support;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.Username;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Calls into an {@link ApiSliceTest} as a logged-in caller, with answers in the end-to-end tests'
 * form ({@link Door.Answer}).
 */
public final class ApiSlice {

  private final MockMvc mvc;

  public ApiSlice(MockMvc mvc) {
    this.mvc = mvc;
  }

  /**
   * A caller as the directory login makes one: a name, its groups, and the roles those groups give.
   */
  public static Caller caller(String username, Set<Caller.Role> roles, String... groups) {
    return new Caller(Username.of(username), List.of(groups), roles);
  }

  /**
   * A request as this caller; a state-changing one carries the CSRF token that Spring Boot's
   * default chain asks for.
   */
  public Door.Answer send(Caller caller, MockHttpServletRequestBuilder request) {
    try {
      MockHttpServletResponse response =
          mvc.perform(
                  request
                      .with(
                          authentication(
                              new UsernamePasswordAuthenticationToken(caller, null, List.of())))
                      .with(csrf()))
              .andReturn()
              .getResponse();
      String contentType = response.getContentType() == null ? "" : response.getContentType();
      return new Door.Answer(
          response.getStatus(),
          response.getContentAsString(StandardCharsets.UTF_8),
          contentType,
          response.getHeader("Retry-After"),
          HttpHeaders.of(Map.of(), (name, value) -> true));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request with this JSON text as its body. */
  public static MockHttpServletRequestBuilder json(String method, String path, String body) {
    return MockMvcRequestBuilders.request(method, URI.create(path))
        .contentType("application/json")
        .content(body);
  }
}
