package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.security.ServiceAccountProperties.ServiceAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Service accounts: none by default; each a login name with a token's hash of its own, or start-up
 * stops.
 */
class ServiceAccountPropertiesTests {

  private static final String HR =
      "b5ae238c65556eff403554cccb220c94624f5dc892e32f53e380719881c9ce26";

  @Test
  void unset_thenNone() {
    assertThat(new ServiceAccountProperties(null).tokens()).isEmpty();
  }

  @Test
  void aHash_thenItMatchesItsAccountsToken() {
    assertThat(
            new ServiceAccountProperties(Map.of("hr-system", new ServiceAccount(HR)))
                .tokens()
                .get("hr-system")
                .matches("hr-system-test-token"))
        .isTrue();
  }

  @Test
  void whatCannotBeAnAccount_thenStartUpStops() {
    assertThatThrownBy(
            () ->
                new ServiceAccountProperties(
                    Map.of("hr-system", new ServiceAccount("hr-system-test-token"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("portcullis.service-accounts.hr-system.token-sha256 must be")
        .hasMessageNotContaining("hr-system-test-token");
    assertThatThrownBy(
            () -> new ServiceAccountProperties(Map.of("hr-system", new ServiceAccount(null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is required");
    assertThatThrownBy(
            () -> new ServiceAccountProperties(Map.of("hr system", new ServiceAccount(HR))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("login name");
    assertThatThrownBy(
            () ->
                new ServiceAccountProperties(
                    Map.of(
                        "hr-system",
                        new ServiceAccount(HR),
                        "pipeline",
                        new ServiceAccount(HR.toUpperCase()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a token of its own");
  }
}
