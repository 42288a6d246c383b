package io.portcullis.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.portcullis.kernel.RequestId;
import io.portcullis.offboarding.OffboardingTables;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.Leavers;
import io.portcullis.support.ProcessFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A {@code jwt-credential} catalog entry ({@code deploy-api}) as its users and resource servers
 * meet it, through real HTTP with the engine clock: an access token and a refresh token taken once,
 * refreshed with rotation, checked by introspection and by a resource server that only knows the
 * JWKS (Nimbus' processor on {@code /.well-known/jwks.json}), and dead at introspection from the
 * step that ends the grant. Shares ApiKeyCredentialTest's context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@ExtendWith(OutputCaptureExtension.class)
class JwtCredentialTest extends ProcessFixture {

  static final String AUDIENCE = "https://deploy.portcullis.demo";

  @LocalServerPort int port;
  @Autowired CredentialProperties settings;
  Door door;
  Leavers people;
  String issuer;

  @BeforeEach
  void setUp() {
    door = new Door(port);
    people = new Leavers(ldap);
    issuer =
        door.call("GET", "/.well-known/oauth-authorization-server")
            .send()
            .json()
            .get("issuer")
            .asText();
  }

  @AfterEach
  void cleanUp() {
    OffboardingTables.deleteAll(jdbc);
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("offboarding")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    people.removeAll();
  }

  @Test
  void aliceTakesHerTokensOnceRefreshesThemAndTheyDieWithTheRevokeStep(CapturedOutput output)
      throws Exception {
    String id = activeGrant("alice", "PT30M");
    Answer issued = handOut(id, "alice");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    assertThat(issued.header("Cache-Control")).contains("no-store");
    assertThat(issued.json().get("tokenType").asText()).isEqualTo("Bearer");
    assertThat(issued.json().get("expiresIn").asLong()).isEqualTo(300);
    String access = issued.json().get("accessToken").asText();
    String refresh = issued.json().get("refreshToken").asText();
    assertThat(refresh).matches("pcr_[0-9A-Za-z]{36}");
    assertThat(handOut(id, "alice").status()).isEqualTo(409);
    assertThat(handOut(id, "bob").status()).isEqualTo(403);

    SignedJWT jwt = SignedJWT.parse(access);
    assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(issuer);
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getAudience()).containsExactly(AUDIENCE);
    assertThat(claims.getClaim("scope")).isEqualTo("deploy");
    assertThat(claims.getClaim("client_id")).isEqualTo("deploy-api");
    assertThat(claims.getClaim("request_id")).isEqualTo(id);
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(T0);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(T0.plusSeconds(300));
    assertThat(claims.getJWTID()).isNotBlank();

    JsonNode active = introspect(access);
    assertThat(active.get("active").asBoolean()).as(active.toString()).isTrue();
    assertThat(active.get("sub").asText()).isEqualTo("alice");
    assertThat(active.get("scope").asText()).isEqualTo("deploy");
    assertThat(active.get("aud").asText()).isEqualTo(AUDIENCE);
    assertThat(active.get("jti").asText()).isEqualTo(claims.getJWTID());
    assertThat(active.get("exp").asLong()).isEqualTo(T0.plusSeconds(300).getEpochSecond());
    assertThat(introspect(refresh).get("token_type").asText()).isEqualTo("refresh_token");
    assertThat(resourceServerAccepts(access)).isTrue();

    // a refresh rotates: a new pair, the old refresh token no longer active
    moveClockTo(T0.plusSeconds(240));
    Answer refreshed = refresh(refresh);
    assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    assertThat(refreshed.header("Cache-Control")).contains("no-store");
    assertThat(refreshed.json().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(refreshed.json().get("expires_in").asLong()).isEqualTo(300);
    String access2 = refreshed.json().get("access_token").asText();
    String refresh2 = refreshed.json().get("refresh_token").asText();
    assertThat(refresh2).isNotEqualTo(refresh).startsWith("pcr_");
    assertThat(introspect(refresh).toString()).isEqualTo("{\"active\":false}");
    assertThat(introspect(refresh2).get("active").asBoolean()).isTrue();
    assertThat(introspect(access2).get("active").asBoolean()).isTrue();

    // the revoke: everything of the grant inactive from the revoke step's commit, refresh refused
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/revoke")
                .as("alice")
                .json(Map.of("reason", "deployed"))
                .send()
                .status())
        .isEqualTo(202);
    assertThat(introspect(access2).get("active").asBoolean()).isTrue();
    runJobAt(instanceOf(id), "serviceTask_revokeAccess");
    for (String token : List.of(access, access2, refresh2)) {
      assertThat(introspect(token).toString()).isEqualTo("{\"active\":false}");
    }
    assertThat(refresh(refresh2).json().get("error").asText()).isEqualTo("invalid_grant");
    // a resource server that only checks signatures still takes it until its exp: the bound
    assertThat(resourceServerAccepts(access2)).isTrue();

    List<Map<String, Object>> events =
        jdbc.queryForList(
            "select action, details from audit_event where request_id = ? order by id", id);
    assertThat(events)
        .extracting(e -> e.get("ACTION"))
        .contains("credential.issued", "credential.refreshed", "credential.revoked");
    assertThat(events)
        .filteredOn(e -> e.get("ACTION").toString().equals("credential.refreshed"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.get("DETAILS").toString())
                    .contains(SignedJWT.parse(access2).getJWTClaimsSet().getJWTID()));
    assertNowhere(List.of(access, access2, refresh, refresh2), output);
  }

  @Test
  void aRefreshTokenUsedTwiceKillsItsWholeFamily(CapturedOutput output) {
    String id = activeGrant("alice", "PT30M");
    JsonNode issued = handOut(id, "alice").json();
    String refresh = issued.get("refreshToken").asText();
    JsonNode next = refresh(refresh).json();
    String refresh2 = next.get("refresh_token").asText();
    String access2 = next.get("access_token").asText();
    assertThat(introspect(access2).get("active").asBoolean()).isTrue();

    Answer reused = refresh(refresh);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().toString()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(refresh(refresh2).json().get("error").asText()).isEqualTo("invalid_grant");
    for (String token : List.of(issued.get("accessToken").asText(), access2, refresh, refresh2)) {
      assertThat(introspect(token).toString()).isEqualTo("{\"active\":false}");
    }
    assertThat(
            jdbc.queryForList(
                "select action from audit_event where request_id = ? order by id",
                String.class,
                id))
        .contains("credential.refresh-reused");
    assertNowhere(List.of(refresh, refresh2, access2), output);
  }

  /**
   * Two uses of one refresh token at the same instant (a copy raced its holder): at most one gets
   * new tokens, and the family dies either way: the loser finds the token rotated away, or loses
   * the rotation itself.
   */
  @Test
  void oneRefreshTokenUsedTwiceAtOnceGivesOneAnswerAndKillsTheFamily() throws Exception {
    String id = activeGrant("alice", "PT30M");
    String refresh = handOut(id, "alice").json().get("refreshToken").asText();
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<Answer>> answers =
          two.invokeAll(
              List.<Callable<Answer>>of(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return refresh(refresh);
                  },
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return refresh(refresh);
                  }));
      List<Answer> done = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        done.add(answer.get(30, TimeUnit.SECONDS));
      }
      assertThat(done).extracting(Answer::status).containsExactlyInAnyOrder(200, 400);
      for (Answer answer : done) {
        if (answer.status() == 200) {
          String access = answer.json().get("access_token").asText();
          assertThat(introspect(access).toString()).isEqualTo("{\"active\":false}");
          assertThat(refresh(answer.json().get("refresh_token").asText()).status()).isEqualTo(400);
        }
      }
    } finally {
      two.shutdownNow();
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from credential where request_id = ? and revoked_at is not null",
                Integer.class,
                id))
        .isEqualTo(1);
    assertThat(
            jdbc.queryForList(
                "select action from audit_event where request_id = ? order by id",
                String.class,
                id))
        .contains("credential.refresh-reused");
  }

  @Test
  void aRefreshIsInvalidGrantFromTheInstantTheGrantEnds() throws Exception {
    String id = activeGrant("alice", "PT30M");
    String refresh = handOut(id, "alice").json().get("refreshToken").asText();
    moveClockTo(T0.plusSeconds(1799));
    JsonNode last = refresh(refresh).json();
    // never past the grant's end: one second left
    assertThat(last.get("expires_in").asLong()).isEqualTo(1);
    String access = last.get("access_token").asText();
    assertThat(SignedJWT.parse(access).getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(T0.plusSeconds(1800));
    assertThat(introspect(access).get("active").asBoolean()).isTrue();
    moveClockTo(T0.plusSeconds(1800));
    // before the expiry step has run
    assertThat(requests.find(RequestId.of(id)).orElseThrow().status().name()).isEqualTo("ACTIVE");
    assertThat(refresh(last.get("refresh_token").asText()).json().get("error").asText())
        .isEqualTo("invalid_grant");
    assertThat(introspect(access).toString()).isEqualTo("{\"active\":false}");
    assertThat(resourceServerAccepts(access)).isFalse();
  }

  @Test
  void anAccessTokenDiesAtItsExpForIntrospectionAndTheResourceServer() {
    String id = activeGrant("alice", "PT30M");
    String access = handOut(id, "alice").json().get("accessToken").asText();
    moveClockTo(T0.plusSeconds(299));
    assertThat(introspect(access).get("active").asBoolean()).isTrue();
    assertThat(resourceServerAccepts(access)).isTrue();
    moveClockTo(T0.plusSeconds(300));
    assertThat(introspect(access).toString()).isEqualTo("{\"active\":false}");
    assertThat(resourceServerAccepts(access)).isFalse();
  }

  @Test
  void theHolderRevokesAnAccessTokenOrAFamilyAtRfc7009() {
    String id = activeGrant("alice", "PT30M");
    JsonNode issued = handOut(id, "alice").json();
    String access = issued.get("accessToken").asText();
    String refresh = issued.get("refreshToken").asText();
    assertThat(revoke(access).status()).isEqualTo(200);
    assertThat(introspect(access).toString()).isEqualTo("{\"active\":false}");
    assertThat(introspect(refresh).get("active").asBoolean()).isTrue();
    String access2 = refresh(refresh).json().get("access_token").asText();
    assertThat(introspect(access2).get("active").asBoolean()).isTrue();
    // the first refresh token, rotated away, still names the family: revoking it kills it all
    assertThat(revoke(refresh).status()).isEqualTo(200);
    assertThat(introspect(access2).toString()).isEqualTo("{\"active\":false}");
    // whatever the token, 200
    assertThat(revoke("not a token").status()).isEqualTo(200);
    assertThat(revoke(ApiKeyFormat.newKey(ApiKeyFormat.REFRESH_PREFIX)).status()).isEqualTo(200);
    assertThat(
            jdbc.queryForList(
                "select action from audit_event where request_id = ? order by id",
                String.class,
                id))
        .containsSubsequence("credential.holder-revoked", "credential.holder-revoked");
  }

  @Test
  void forgedTokensAreRefusedByIntrospectionAndByTheResourceServer() throws Exception {
    String id = activeGrant("alice", "PT30M");
    String access = handOut(id, "alice").json().get("accessToken").asText();
    SignedJWT real = SignedJWT.parse(access);
    JWTClaimsSet claims = real.getJWTClaimsSet();
    ECKey demo = demoKey(real.getHeader().getKeyID());

    String[] parts = access.split("\\.");
    String tampered =
        parts[0]
            + "."
            + Base64URL.encode(
                new JWTClaimsSet.Builder(claims)
                    .claim("scope", "deploy admin")
                    .build()
                    .toString()
                    .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    String expired =
        sign(
            demo,
            new JWTClaimsSet.Builder(claims).expirationTime(Date.from(T0.minusSeconds(1))).build());
    String wrongAudience =
        sign(demo, new JWTClaimsSet.Builder(claims).audience("https://other.example").build());
    String none =
        new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(), claims)
            .serialize();
    SignedJWT hs256 =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("at+jwt"))
                .keyID(demo.getKeyID())
                .build(),
            claims);
    hs256.sign(new MACSigner(demo.toECPublicKey().getEncoded()));
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID(demo.getKeyID()).generate();
    String wrongKey = sign(other, claims);
    String wrongType =
        sign(demo, claims, h -> new JWSHeader.Builder(h).type(JOSEObjectType.JWT).build());

    // the control: the same claims signed with the real key are taken
    assertThat(introspect(sign(demo, claims)).get("active").asBoolean()).isTrue();
    for (String forged :
        List.of(tampered, expired, wrongAudience, none, hs256.serialize(), wrongKey, wrongType)) {
      assertThat(introspect(forged).toString()).as(forged).isEqualTo("{\"active\":false}");
      assertThat(resourceServerAccepts(forged)).as(forged).isFalse();
    }
  }

  @Test
  void offboardingTheHolderKillsEveryTokenAndRefresh() {
    people.person("nora", "developers");
    String id = activeGrant("nora", "PT30M");
    JsonNode issued = handOut(id, "nora").json();
    String access = issued.get("accessToken").asText();
    String refresh = issued.get("refreshToken").asText();
    assertThat(introspect(access).get("active").asBoolean()).isTrue();
    Answer started =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(Map.of("username", "nora", "reason", "left", "hrReference", "HR-28J"))
            .send();
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String saga =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey("offboarding")
            .singleResult()
            .getId();
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(saga)
            .activityId("serviceTask_findPerson")
            .singleResult()
            .getId());
    assertThat(introspect(access).toString()).isEqualTo("{\"active\":false}");
    assertThat(introspect(refresh).toString()).isEqualTo("{\"active\":false}");
    assertThat(refresh(refresh).json().get("error").asText()).isEqualTo("invalid_grant");
    drain();
    assertThat(requests.find(RequestId.of(id)).orElseThrow().status().name()).isEqualTo("REVOKED");
    assertThat(introspect(access).toString()).isEqualTo("{\"active\":false}");
    JsonNode done =
        door.call("GET", "/api/offboardings/" + started.json().get("id").asText())
            .as("hr-system")
            .send()
            .json();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    List<String> items = new ArrayList<>();
    for (JsonNode system : done.get("report").get("systems")) {
      if (system.get("system").asText().equals("deploy-api")) {
        system
            .get("items")
            .forEach(
                i ->
                    items.add(
                        i.get("kind").asText()
                            + " "
                            + i.get("target").asText()
                            + " -> "
                            + i.get("how").asText()));
      }
    }
    assertThat(items)
        .containsExactlyInAnyOrder(
            "ACCOUNT nora -> disabled; sessions ended",
            "GRANT deploy -> ended through its request: REVOKED");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from credential where request_id = ? and revoked_at is not null",
                Integer.class,
                id))
        .isEqualTo(1);
  }

  @Test
  void theDiscoveryDocumentsArePublicAndTheTokenEndpointSpeaksOAuth() {
    Answer jwks = door.call("GET", "/.well-known/jwks.json").send();
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.header("Cache-Control")).contains("max-age=300");
    JsonNode key = jwks.json().get("keys").get(0);
    assertThat(key.get("kty").asText()).isEqualTo("EC");
    assertThat(key.get("crv").asText()).isEqualTo("P-256");
    assertThat(key.has("d")).isFalse();
    assertThat(jwks.json().get("keys").size()).isEqualTo(1);

    JsonNode metadata = door.call("GET", "/.well-known/oauth-authorization-server").send().json();
    assertThat(metadata.get("token_endpoint").asText()).isEqualTo(issuer + "/oauth2/token");
    assertThat(metadata.get("introspection_endpoint").asText())
        .isEqualTo(issuer + "/oauth2/introspect");
    assertThat(metadata.get("revocation_endpoint").asText()).isEqualTo(issuer + "/oauth2/revoke");
    assertThat(metadata.get("jwks_uri").asText()).isEqualTo(issuer + "/.well-known/jwks.json");
    assertThat(metadata.get("grant_types_supported").toString()).isEqualTo("[\"refresh_token\"]");

    assertThat(token("grant_type=password&username=a&password=b").json().get("error").asText())
        .isEqualTo("unsupported_grant_type");
    assertThat(token("grant_type=refresh_token").json().get("error").asText())
        .isEqualTo("invalid_request");
    Answer garbage = token("grant_type=refresh_token&refresh_token=nothing");
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.json().get("error").asText()).isEqualTo("invalid_grant");
    // the holder's endpoints take no login; introspection still takes its client's
    assertThat(door.call("POST", "/oauth2/introspect").form("token=x").send().status())
        .isEqualTo(401);
  }

  // --- helpers

  private String activeGrant(String requester, String duration) {
    return activeOverApi(door, requester, "deploy-api", duration, "a deploy");
  }

  private ProcessInstance instanceOf(String id) {
    return runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
  }

  private Answer handOut(String id, String who) {
    return door.call("POST", "/api/access-requests/" + id + "/credential")
        .json(Map.of())
        .as(who)
        .send();
  }

  private Answer token(String form) {
    return door.call("POST", "/oauth2/token").form(form).send();
  }

  private Answer refresh(String refreshToken) {
    return token(
        "grant_type=refresh_token&refresh_token="
            + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
  }

  private Answer revoke(String token) {
    return door.call("POST", "/oauth2/revoke")
        .form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
        .send();
  }

  private JsonNode introspect(String token) {
    Answer answer =
        door.call("POST", "/oauth2/introspect")
            .as("deploy-api", "deploy-api-demo")
            .form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
            .send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  /**
   * A resource server that knows only the JWKS: Nimbus' processor with a remote JWK set, ES256,
   * {@code at+jwt}, this issuer and audience, on the engine's clock.
   */
  private boolean resourceServerAccepts(String token) {
    try {
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSTypeVerifier(
          new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
      processor.setJWSKeySelector(
          new JWSVerificationKeySelector<>(
              JWSAlgorithm.ES256,
              JWKSourceBuilder.<SecurityContext>create(
                      URI.create("http://localhost:" + port + "/.well-known/jwks.json").toURL())
                  .build()));
      DefaultJWTClaimsVerifier<SecurityContext> verifier =
          new DefaultJWTClaimsVerifier<>(
              AUDIENCE,
              new JWTClaimsSet.Builder().issuer(issuer).build(),
              Set.of("sub", "exp", "jti", "scope")) {
            @Override
            protected Date currentTime() {
              return ClockUtil.getCurrentTime();
            }
          };
      verifier.setMaxClockSkew(0);
      processor.setJWTClaimsSetVerifier(verifier);
      processor.process(token, null);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private ECKey demoKey(String keyId) throws Exception {
    KeyFactory factory = KeyFactory.getInstance("EC");
    CredentialProperties.SigningKeyPair pair = settings.signingKeys().current();
    ECPublicKey publicKey =
        (ECPublicKey)
            factory.generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(pair.publicKey())));
    ECPrivateKey privateKey =
        (ECPrivateKey)
            factory.generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pair.privateKey())));
    return new ECKey.Builder(Curve.P_256, publicKey).privateKey(privateKey).keyID(keyId).build();
  }

  private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
    return sign(key, claims, h -> h);
  }

  private static String sign(ECKey key, JWTClaimsSet claims, UnaryOperator<JWSHeader> header)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            header.apply(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("at+jwt"))
                    .keyID(key.getKeyID())
                    .build()),
            claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  /** No token nor its hash in any audit event or any line logged while the test ran. */
  private void assertNowhere(List<String> tokens, CapturedOutput output) {
    for (String token : tokens) {
      for (String secret : List.of(token, SecretHash.of(token))) {
        assertThat(
                jdbc.queryForObject(
                    "select count(*) from audit_event where details like ? or subject like ? or resource like ?",
                    Integer.class,
                    "%" + secret + "%",
                    "%" + secret + "%",
                    "%" + secret + "%"))
            .isZero();
        assertThat(output.getAll()).doesNotContain(secret);
      }
      // nor the signature alone, which is what makes a JWT usable
      if (token.contains(".")) {
        assertThat(output.getAll()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
      }
    }
  }
}
