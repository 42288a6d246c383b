package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** portcullis.requests.flags: its defaults, and the values it refuses at start-up. */
class UnusualAccessSettingsTest {

  @Test
  void leftOutEverySettingHasItsDefault() {
    UnusualAccessSettings settings = new UnusualAccessSettings(null, null, null, null, null);
    assertThat(settings)
        .isEqualTo(new UnusualAccessSettings(5, ZoneId.of("UTC"), Duration.ofHours(1), 5, 90));
  }

  @Test
  void aSettingThatCannotWorkStopsTheStart() {
    assertThatThrownBy(() -> new UnusualAccessSettings(0, null, null, null, null))
        .hasMessageContaining("usual-hours-history");
    assertThatThrownBy(() -> new UnusualAccessSettings(null, null, Duration.ZERO, null, null))
        .hasMessageContaining("burst-window");
    assertThatThrownBy(
            () -> new UnusualAccessSettings(null, null, Duration.ofMinutes(-1), null, null))
        .hasMessageContaining("burst-window");
    assertThatThrownBy(() -> new UnusualAccessSettings(null, null, null, 0, null))
        .hasMessageContaining("burst-max");
    assertThatThrownBy(() -> new UnusualAccessSettings(null, null, null, null, 0))
        .hasMessageContaining("near-maximum-percent");
    assertThatThrownBy(() -> new UnusualAccessSettings(null, null, null, null, 101))
        .hasMessageContaining("near-maximum-percent");
  }
}
