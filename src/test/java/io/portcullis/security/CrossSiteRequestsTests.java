package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.web.PublicUrl;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A request that changes state comes from Portcullis' public origin or one the configuration lists,
 * never from whatever Host says.
 */
class CrossSiteRequestsTests {

  private final CrossSiteRequests filter =
      new CrossSiteRequests(
          new PublicUrl(URI.create("https://Portcullis.example.com:443/")),
          new CrossSiteProperties(List.of("https://admin.example.com/", "http://localhost:8080")),
          new ObjectMapper(),
          true);

  @Test
  void anOriginThatOnlyMatchesTheHostHeader_thenRefused() throws Exception {
    assertThat(status("http://rebound.example:8080", "rebound.example:8080")).isEqualTo(403);
    assertThat(status("https://evil.example", "evil.example")).isEqualTo(403);
    assertThat(status("null", "portcullis.example.com")).as("a sandboxed page").isEqualTo(403);
  }

  @Test
  void thePublicOriginAndTheListedOnes_thenPassed() throws Exception {
    assertThat(status("https://portcullis.example.com", "anything")).isEqualTo(200);
    assertThat(status("https://admin.example.com", "anything")).isEqualTo(200);
    assertThat(status("http://localhost:8080", "anything")).isEqualTo(200);
    assertThat(status(null, "anything")).as("a script sends none").isEqualTo(200);
  }

  @Test
  void anOriginSettingThatIsNoOrigin_thenStartUpStops() {
    for (String wrong :
        List.of(
            "https://admin.example.com/path",
            "admin.example.com",
            "ftp://admin.example.com",
            "https://user@admin.example.com",
            "https://admin.example.com?x=1")) {
      assertThatThrownBy(() -> new CrossSiteProperties(List.of(wrong)))
          .as(wrong)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("portcullis.cross-site.allowed-origins");
    }
    assertThat(new CrossSiteProperties(List.of("HTTPS://Admin.Example.com:443")).allowedOrigins())
        .containsExactly("https://admin.example.com");
  }

  private int status(String origin, String host) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/access-requests");
    request.setContentType("application/json");
    request.addHeader("Host", host);
    if (origin != null) {
      request.addHeader("Origin", origin);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response.getStatus();
  }
}
