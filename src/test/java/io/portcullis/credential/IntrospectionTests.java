package io.portcullis.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.web.PublicUrl;
import java.net.URI;
import org.junit.jupiter.api.Test;

class IntrospectionTests {

  /**
   * A key whose checksum is wrong is answered inactive before any look-up: the store, the request
   * and the leavers here are absent, and any use of them would throw.
   */
  @Test
  void aWrongChecksumIsRefusedBeforeAnyLookUp() {
    Introspection introspection =
        new Introspection(
            new CredentialStore(null),
            null,
            null,
            new PublicUrl(URI.create("http://localhost:8080")),
            null,
            null);
    String key = ApiKeyFormat.newKey();
    String wrong = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
    assertThat(introspection.of(wrong)).isEqualTo(Introspection.INACTIVE);
    assertThat(introspection.of("pcx_short")).isEqualTo(Introspection.INACTIVE);
  }
}
