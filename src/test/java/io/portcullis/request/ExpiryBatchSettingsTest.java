package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** portcullis.jobs.expiry-batch-*: the defaults, off, and the values refused at start-up. */
class ExpiryBatchSettingsTest {

  @Test
  void leftOutBatchesAreOnWithATwoSecondWindowOfAHundred() {
    ExpiryBatchSettings settings = new ExpiryBatchSettings(null, null);

    assertThat(settings).isEqualTo(new ExpiryBatchSettings(Duration.ofSeconds(2), 100));
    assertThat(settings.off()).isFalse();
  }

  @Test
  void aWindowOfZeroOrABatchOfOneTurnsThemOff() {
    assertThat(new ExpiryBatchSettings(Duration.ZERO, null).off()).isTrue();
    assertThat(new ExpiryBatchSettings(null, 1).off()).isTrue();
  }

  @Test
  void aSettingThatCannotWorkStopsTheStart() {
    assertThatThrownBy(() -> new ExpiryBatchSettings(Duration.ofSeconds(-1), null))
        .hasMessageContaining("expiry-batch-window");
    assertThatThrownBy(() -> new ExpiryBatchSettings(Duration.ofMinutes(2), null))
        .hasMessageContaining("expiry-batch-window");
    assertThatThrownBy(() -> new ExpiryBatchSettings(null, 0))
        .hasMessageContaining("expiry-batch-max");
    assertThatThrownBy(() -> new ExpiryBatchSettings(null, 1001))
        .hasMessageContaining("expiry-batch-max");
  }
}
