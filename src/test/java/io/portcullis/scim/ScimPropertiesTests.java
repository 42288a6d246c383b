package io.portcullis.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The door opens only on a well-formed hash; unset, it stays shut; a pasted token stops start-up.
 */
class ScimPropertiesTests {

  @Test
  void unset_thenTheDoorIsClosedAndTheClientIsScim() {
    ScimProperties none = new ScimProperties(null, null);
    assertThat(none.token()).isNull();
    assertThat(none.clientName()).isEqualTo("scim");
    assertThat(new ScimProperties(" ", "okta").token()).isNull();
  }

  @Test
  void aTokenWhereItsHashBelongs_thenStartUpStops() {
    assertThatThrownBy(() -> new ScimProperties("scim-demo-token", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("portcullis.scim.token-sha256 must be a token's SHA-256")
        .hasMessageNotContaining("scim-demo-token");
  }

  @Test
  void aHash_thenItMatchesItsToken() {
    assertThat(
            new ScimProperties(
                    "4b5eb2ab9e95e64e047be1fef51d6c1aad55788ebd34f4db0333ab4c7a53276c", null)
                .token()
                .matches("scim-demo-token"))
        .isTrue();
  }
}
