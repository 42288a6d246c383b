package io.portcullis.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.connector.ConnectorSettings;
import io.portcullis.credential.CredentialProperties.SigningKeyPair;
import io.portcullis.credential.CredentialProperties.SigningKeyPairs;
import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.web.PublicUrl;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;

class SigningKeysTests {

  @Test
  void aJwtCredentialInstanceRefusesToStartWithoutASigningKeyNamingTheSetting() {
    JwtCredentialConnectorType type =
        new JwtCredentialConnectorType(
            null, null, new SigningKeys(new CredentialProperties(Map.of(), null)));
    assertThatThrownBy(
            () ->
                type.create(
                    ConnectorName.of("deploy-api"),
                    ConnectorSettings.of(
                        ConnectorName.of("deploy-api"),
                        Map.of("type", "jwt-credential", "audience", "https://x"))))
        .hasMessageContaining("portcullis.credentials.signing-keys.current.private-key");
  }

  @Test
  void anInstanceNeedsItsAudienceAndTakesItsTokenTtl() throws Exception {
    KeyPair pair = pair();
    JwtCredentialConnectorType type =
        new JwtCredentialConnectorType(null, null, new SigningKeys(settings(pair, pair)));
    ConnectorName name = ConnectorName.of("deploy-api");
    assertThatThrownBy(
            () -> type.create(name, ConnectorSettings.of(name, Map.of("type", "jwt-credential"))))
        .hasMessageContaining("audience");
    type.create(
        name,
        ConnectorSettings.of(
            name, Map.of("type", "jwt-credential", "audience", "https://x", "token-ttl", "PT2M")));
    assertThat(type.instance(name).orElseThrow().tokenTtl().toMinutes()).isEqualTo(2);
  }

  @Test
  void halvesOfTwoDifferentKeysAreRefusedNamingTheSetting() throws Exception {
    assertThatThrownBy(() -> new SigningKeys(settings(pair(), pair())))
        .hasMessageContaining("portcullis.credentials.signing-keys.current");
  }

  @Test
  void theJwksHasTheCurrentAndThePreviousPublicKeyAndNoPrivateHalf() throws Exception {
    KeyPair current = pair();
    KeyPair previous = pair();
    SigningKeys keys =
        new SigningKeys(
            new CredentialProperties(
                Map.of(),
                new SigningKeyPairs(keyPair(current, current), keyPair(previous, previous))));
    assertThat(keys.publicKeys().getKeys()).hasSize(2).noneMatch(k -> k.isPrivate());
    assertThat(keys.publicKeys().getKeys().get(0).getKeyID())
        .isEqualTo(keys.signing().orElseThrow().getKeyID());
  }

  /**
   * A rotation: a token signed by the key that was current still verifies once that key is
   * previous, and not once it is gone from the settings.
   */
  @Test
  void aTokenOfThePreviousKeyVerifiesUntilThatKeyIsDropped() throws Exception {
    KeyPair old = pair();
    KeyPair next = pair();
    PublicUrl url = new PublicUrl(URI.create("https://portcullis.example.com"));
    Instant now = ClockUtil.getCurrentTime().toInstant();
    Credential family =
        new Credential(
            "f",
            RequestId.of("r-1"),
            CredentialHandOut.KIND_JWT,
            ConnectorName.of("deploy-api"),
            Username.of("alice"),
            Target.of("deploy"),
            "0".repeat(64),
            now,
            now.plusSeconds(3600),
            null);
    String token =
        new AccessTokens(new SigningKeys(settings(old, old)), url)
            .mint(family, "https://x", Duration.ofMinutes(5), now)
            .token();
    SigningKeys rotated =
        new SigningKeys(
            new CredentialProperties(
                Map.of(), new SigningKeyPairs(keyPair(next, next), keyPair(old, old))));
    assertThat(new AccessTokens(rotated, url).verify(token)).isPresent();
    assertThat(new AccessTokens(new SigningKeys(settings(next, next)), url).verify(token))
        .isEmpty();
  }

  private static CredentialProperties settings(KeyPair privateHalf, KeyPair publicHalf) {
    return new CredentialProperties(
        Map.of(), new SigningKeyPairs(keyPair(privateHalf, publicHalf), null));
  }

  private static SigningKeyPair keyPair(KeyPair privateHalf, KeyPair publicHalf) {
    return new SigningKeyPair(
        Base64.getEncoder().encodeToString(privateHalf.getPrivate().getEncoded()),
        Base64.getEncoder().encodeToString(publicHalf.getPublic().getEncoded()));
  }

  private static KeyPair pair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
