package io.portcullis.offboarding;

import static org.mockito.Mockito.mock;

import org.springframework.context.annotation.Bean;
import org.springframework.test.context.bean.override.mockito.MockReset;

/**
 * The offboarding controller's collaborators that only this package sees, as mocks for {@code
 * support/ApiSliceTest} (its type-level mocks can name only public types); reset after each test as
 * those are.
 */
public class OffboardingControllerMocks {

  @Bean
  OffboardingReport offboardingReport() {
    return mock(OffboardingReport.class, MockReset.withSettings(MockReset.AFTER));
  }

  @Bean
  OffboardingResolutions offboardingResolutions() {
    return mock(OffboardingResolutions.class, MockReset.withSettings(MockReset.AFTER));
  }
}
