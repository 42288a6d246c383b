package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.portcullis.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bearer token is checked before the throttle: the right one always gets in, wrong ones are
 * slowed per address.
 */
class TokenLoginTests {

  /** printf %s scim-demo-token | sha256sum */
  private static final TokenHash SCIM = TokenHash.ofHex(TokenHashTests.DEMO);

  /** printf %s hr-system-test-token | sha256sum */
  private static final TokenHash HR =
      TokenHash.ofHex("b5ae238c65556eff403554cccb220c94624f5dc892e32f53e380719881c9ce26");

  private final List<AuditEvent.Draft> audited = new ArrayList<>();
  private final TokenLogin login =
      new TokenLogin(
          new LoginRefusals(audited::add, 2, Duration.ofMinutes(1), Instant::now),
          new LoginThrottle(
              new LoginThrottleProperties(5, Duration.ofMinutes(1), 2, Duration.ofHours(1), null),
              TimeMeter.SYSTEM_NANOTIME));

  @Test
  void login_whenWrongTokensFloodedItsAddress_thenTheRightOneStillGetsIn() {
    assertThat(login.login("guess-1", SCIM, "scim", "10.0.0.1")).isFalse();
    assertThat(login.login("guess-2", SCIM, "scim", "10.0.0.1")).isFalse();
    assertThatThrownBy(() -> login.login("guess-3", SCIM, "scim", "10.0.0.1"))
        .isInstanceOf(TokenLogin.Throttled.class);
    assertThat(login.login("scim-demo-token", SCIM, "scim", "10.0.0.1")).isTrue();
    assertThat(audited)
        .hasSize(2)
        .allSatisfy(
            d ->
                assertThat(d.details())
                    .containsEntry("presented", "bearer token")
                    .containsEntry("door", "scim")
                    .containsEntry("address", "10.0.0.1"));
    assertThat(audited.toString()).doesNotContain("guess-");
  }

  @Test
  void unknown_countsLikeAWrongTokenAndThrottlesTheAddress() {
    login.unknown("oauth2-token", "10.0.0.3");
    login.unknown("oauth2-token", "10.0.0.3");
    assertThatThrownBy(() -> login.unknown("oauth2-token", "10.0.0.3"))
        .isInstanceOf(TokenLogin.Throttled.class);
    assertThat(login.login("scim-demo-token", SCIM, "scim", "10.0.0.3"))
        .as("a door's own token from that address")
        .isTrue();
    login.unknown("oauth2-token", "10.0.0.4");
    assertThat(audited)
        .hasSize(3)
        .allSatisfy(d -> assertThat(d.details()).containsEntry("door", "oauth2-token"));
  }

  @Test
  void login_ofAServiceAccount_thenItsNameIsTheHolders() {
    Map<String, TokenHash> accounts = Map.of("hr-system", HR, "scim", SCIM);
    assertThat(login.login("hr-system-test-token", accounts, "api", "10.0.0.2"))
        .contains("hr-system");
    assertThat(login.login("scim-demo-token", accounts, "api", "10.0.0.2")).contains("scim");
    assertThat(login.login("hr-system-test-token ", accounts, "api", "10.0.0.2")).isEmpty();
    assertThat(login.login(null, accounts, "api", "10.0.0.2"))
        .as("no bearer token at all")
        .isEmpty();
    assertThat(audited).hasSize(2);
  }

  @Test
  void login_whenNoTokenIsConfigured_thenEveryTokenIsRefused() {
    assertThat(login.login("scim-demo-token", (TokenHash) null, "scim", "10.0.0.3")).isFalse();
    assertThat(login.login("hr-system-test-token", Map.of(), "api", "10.0.0.3")).isEmpty();
    assertThat(audited).hasSize(2);
  }

  @Test
  void bearer_readsOnlyABearerCredential() {
    assertThat(TokenLogin.bearer("Bearer abc")).isEqualTo("abc");
    assertThat(TokenLogin.bearer(" bearer  abc ")).isEqualTo("abc");
    assertThat(TokenLogin.bearer("Basic YWxpY2U6eA==")).isNull();
    assertThat(TokenLogin.bearer("Bearer")).isNull();
    assertThat(TokenLogin.bearer(null)).isNull();
  }
}
