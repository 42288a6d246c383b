package io.portcullis.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application behind a proxy it trusts, with small throttle limits, so that the doors'
 * tests can be many clients from many addresses: the test client is the proxy (loopback), and names
 * the client it forwards in {@code X-Forwarded-For}. Refusals are summarised every 2 s. Two service
 * accounts: {@code hr-system} (token {@value #HR_TOKEN}) and {@code alice} ({@value #ALICE_TOKEN}),
 * who is no HR system. The test classes that carry this share one application context; each uses
 * addresses of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "portcullis.login.name-burst=3",
      "portcullis.login.name-refill=PT1H",
      "portcullis.login.address-burst=6",
      "portcullis.login.address-refill=PT1H",
      "portcullis.login.summary-period=PT2S",
      "server.tomcat.remoteip.internal-proxies=127[.]0[.]0[.]1|0:0:0:0:0:0:0:1",
      // printf %s hr-system-test-token | sha256sum, and alice-test-token
      "portcullis.service-accounts.hr-system.token-sha256=b5ae238c65556eff403554cccb220c94624f5dc892e32f53e380719881c9ce26",
      "portcullis.service-accounts.alice.token-sha256=8d313a0a1646ac870b240673ac5aa0b3cc0eb0b7d81ae7c4b51c27d71dcf3800"
    })
@ActiveProfiles({"demo", "test"})
@interface ThrottledDoorsTest {

  String HR_TOKEN = "hr-system-test-token";
  String ALICE_TOKEN = "alice-test-token";
  int NAME_BURST = 3;
  int ADDRESS_BURST = 6;
}
