package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Start-up refuses missing or mismatched keys, and says which property is at fault. */
class AuditKeysTest {

  static final String HMAC =
      "portcullis.audit.hmac-key=ZZKJOjrssPTEDTVF910CADnRKXZA6XO/nJLIT0rA5WQ=";
  static final String SIGNING =
      "portcullis.audit.signing-key=MC4CAQAwBQYDK2VwBCIEIEDSxfg1FvaJ68l/H0OkQymaM/RS5DamTa+uXXrI63/a";
  static final String PUBLIC =
      "portcullis.audit.public-key=MCowBQYDK2VwAyEAndeEJILbaloXYENfpXlBuLQrobXzklOEfnWKiYaP6SE=";

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(AuditProperties.class)
  @Import(AuditKeys.class)
  static class KeysOnly {}

  final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(KeysOnly.class);

  @Test
  void theDemoKeysLoad() {
    context
        .withPropertyValues(HMAC, SIGNING, PUBLIC)
        .run(
            started -> {
              assertThat(started).hasNotFailed();
              AuditKeys keys = started.getBean(AuditKeys.class);
              assertThat(keys.keyId()).startsWith("ed25519:");
              assertThat(keys.toString()).doesNotContain("ZZKJ", "MC4C");
              assertThat(started.getBean(AuditProperties.class).toString())
                  .doesNotContain("ZZKJ", "MC4C", "MCow");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "portcullis.audit.hmac-key",
        "portcullis.audit.signing-key",
        "portcullis.audit.public-key"
      })
  void aMissingKeyStopsStartUpAndIsNamed(String missing) {
    String[] others =
        List.of(HMAC, SIGNING, PUBLIC).stream()
            .filter(p -> !p.startsWith(missing + "="))
            .toArray(String[]::new);
    context
        .withPropertyValues(others)
        .run(
            started -> {
              assertThat(started).hasFailed();
              MissingAuditKeyException cause = rootCause(started.getStartupFailure());
              assertThat(cause.property()).isEqualTo(missing);
              assertThat(cause.getMessage())
                  .isEqualTo(
                      missing
                          + " is not set: the audit trail cannot record events without it (see docs/audit.md)");
              FailureAnalysis analysis =
                  new AuditKeysFailureAnalyzer().analyze(started.getStartupFailure());
              assertThat(analysis.getDescription()).contains(missing);
              assertThat(analysis.getAction())
                  .contains("PORTCULLIS_AUDIT_HMAC_KEY", "docs/audit.md");
            });
  }

  @Test
  void aPublicKeyOfAnotherPairIsRefused() throws Exception {
    String other =
        Base64.getEncoder()
            .encodeToString(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
    context
        .withPropertyValues(HMAC, SIGNING, "portcullis.audit.public-key=" + other)
        .run(
            started ->
                assertThat(rootCause(started.getStartupFailure()).getMessage())
                    .contains("does not match portcullis.audit.signing-key"));
  }

  @Test
  void aShortOrMalformedKeyIsRefused() {
    context
        .withPropertyValues("portcullis.audit.hmac-key=c2hvcnQ=", SIGNING, PUBLIC)
        .run(
            started ->
                assertThat(rootCause(started.getStartupFailure()).getMessage())
                    .contains("hmac-key is too short"));
    context
        .withPropertyValues(HMAC, "portcullis.audit.signing-key=not*base64", PUBLIC)
        .run(
            started ->
                assertThat(rootCause(started.getStartupFailure()).getMessage())
                    .contains("signing-key is not valid base64"));
    context
        .withPropertyValues(
            HMAC,
            "portcullis.audit.signing-key=" + PUBLIC.substring(PUBLIC.indexOf('=') + 1),
            PUBLIC)
        .run(
            started ->
                assertThat(rootCause(started.getStartupFailure()).getMessage())
                    .contains("signing-key is not an Ed25519 private key"));
  }

  @Test
  void aPemFileMayBePastedAsItIs() {
    String pem =
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIEDSxfg1FvaJ68l/H0OkQymaM/RS5DamTa+uXXrI63/a\n-----END PRIVATE KEY-----\n";
    context
        .withPropertyValues(HMAC, PUBLIC)
        .withPropertyValues("portcullis.audit.signing-key=" + pem)
        .run(started -> assertThat(started).hasNotFailed());
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void startUpWithoutKeysEndsWithAReportThatNamesTheProperty(CapturedOutput output) {
    SpringApplication application =
        new SpringApplicationBuilder(KeysOnly.class).web(WebApplicationType.NONE).build();
    // a profile other than the demo one, whose keys would otherwise be found in
    // application-demo.yml
    assertThatThrownBy(
            () ->
                application.run(
                    "--spring.profiles.active=production-like", "--" + SIGNING, "--" + PUBLIC))
        .hasRootCauseInstanceOf(MissingAuditKeyException.class);
    assertThat(output)
        .contains(
            "APPLICATION FAILED TO START",
            "portcullis.audit.hmac-key is not set",
            "PORTCULLIS_AUDIT_HMAC_KEY");
  }

  private static MissingAuditKeyException rootCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MissingAuditKeyException missing) {
        return missing;
      }
    }
    throw new AssertionError("no MissingAuditKeyException in " + failure);
  }
}
