package io.portcullis.request;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds on access requests, under {@code portcullis.requests}.
 *
 * @param justificationMaxLength the longest justification accepted, in characters
 */
@ConfigurationProperties("portcullis.requests")
public record RequestSettings(Integer justificationMaxLength) {

  public RequestSettings {
    justificationMaxLength = justificationMaxLength == null ? 1000 : justificationMaxLength;
  }
}
