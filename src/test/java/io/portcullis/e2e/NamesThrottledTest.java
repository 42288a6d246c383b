package io.portcullis.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application with no proxy trusted (the default) and a name's burst of {@value
 * #NAME_BURST} failed logins per address, refilled hourly, so that a test sees the throttle answer
 * after a few guesses. The test classes that carry it share one application context; each guesses
 * names of its own and logs in with its own people, so that none is slowed by another's guesses, in
 * whatever order they run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"portcullis.login.name-burst=3", "portcullis.login.name-refill=PT1H"})
@ActiveProfiles({"demo", "test"})
@interface NamesThrottledTest {

  int NAME_BURST = 3;
}
