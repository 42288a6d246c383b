package io.portcullis.review;

import static org.mockito.Mockito.mock;

import org.springframework.context.annotation.Bean;
import org.springframework.test.context.bean.override.mockito.MockReset;

/**
 * The access reviews' store, which only this package sees, as a mock for {@code
 * support/ApiSliceTest} (its type-level mocks can name only public types); reset after each test as
 * those are. {@link AccessReviews} itself is real in the slice: its refusals are what is tested.
 */
public class ReviewControllerMocks {

  @Bean
  ReviewStore reviewStore() {
    return mock(ReviewStore.class, MockReset.withSettings(MockReset.AFTER));
  }
}
