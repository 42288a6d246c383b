package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A token is known by its SHA-256 only; what is configured must be one. */
class TokenHashTests {

  /** printf %s scim-demo-token | sha256sum */
  static final String DEMO = "4b5eb2ab9e95e64e047be1fef51d6c1aad55788ebd34f4db0333ab4c7a53276c";

  @Test
  void matches_onlyTheTokenItself() {
    TokenHash hash = TokenHash.ofHex(DEMO);
    assertThat(hash.matches("scim-demo-token")).isTrue();
    assertThat(TokenHash.ofHex(DEMO.toUpperCase()).matches("scim-demo-token"))
        .as("hex in either case")
        .isTrue();
    assertThat(hash.matches("scim-demo-token ")).isFalse();
    assertThat(hash.matches("SCIM-DEMO-TOKEN")).isFalse();
    assertThat(hash.matches(DEMO)).as("the hash is no token").isFalse();
    assertThat(hash.matches("")).isFalse();
    assertThat(hash.matches(null)).isFalse();
    assertThat(hash.toString()).doesNotContain(DEMO);
  }

  @Test
  void ofHex_whenNotASha256_thenRefused() {
    for (String wrong :
        new String[] {
          "scim-demo-token", DEMO.substring(1), DEMO + "0", DEMO.replace('4', 'g'), "", " "
        }) {
      assertThatThrownBy(() -> TokenHash.ofHex(wrong))
          .as(wrong)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sha256sum")
          .hasMessageNotContaining("scim-demo-token");
    }
    assertThatThrownBy(() -> TokenHash.ofHex(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
