package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentLoginsTests {

  final RecentLogins recent = new RecentLogins(Duration.ofMinutes(1));

  @Test
  void onlyTheSameNameAndPasswordAreRecognised() {
    recent.remember("bob", "bob-demo", "bob");
    assertThat(recent.canonicalFor("bob", "bob-demo")).contains("bob");
    assertThat(recent.canonicalFor("bob", "bob-demo ")).isEmpty();
    assertThat(recent.canonicalFor("bo", "bbob-demo"))
        .as("the split between name and password counts")
        .isEmpty();
    assertThat(recent.canonicalFor("BOB", "bob-demo"))
        .as("another spelling asks the directory again")
        .isEmpty();
  }

  @Test
  void aForgottenPersonAsksTheDirectoryAgain() {
    recent.remember("bob", "bob-demo", "bob");
    recent.remember("BOB", "bob-demo", "bob");
    recent.remember("alice", "alice-demo", "alice");
    recent.forget("bob");
    assertThat(recent.canonicalFor("bob", "bob-demo")).isEmpty();
    assertThat(recent.canonicalFor("BOB", "bob-demo")).isEmpty();
    assertThat(recent.canonicalFor("alice", "alice-demo")).contains("alice");
  }

  @Test
  void zeroTurnsItOff() {
    RecentLogins off = new RecentLogins(Duration.ZERO);
    off.remember("bob", "bob-demo", "bob");
    assertThat(off.canonicalFor("bob", "bob-demo")).isEmpty();
  }

  @Test
  void aLongPeriodIsRefused() {
    assertThatThrownBy(() -> new RecentLogins(Duration.ofMinutes(6)))
        .hasMessageContaining("remember-for");
    assertThatThrownBy(() -> new RecentLogins(Duration.ofSeconds(-1)))
        .hasMessageContaining("remember-for");
  }
}
