package io.portcullis.approval;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Defaults for a stage whose policy rule leaves a time empty, under {@code portcullis.approval}.
 *
 * @param defaultDeadline when a stage nobody decides lapses the request (24 hours unless set)
 */
@ConfigurationProperties("portcullis.approval")
public record ApprovalSettings(Duration defaultDeadline) {

  public ApprovalSettings {
    defaultDeadline = defaultDeadline == null ? Duration.ofHours(24) : defaultDeadline;
    if (defaultDeadline.isNegative() || defaultDeadline.isZero()) {
      throw new IllegalArgumentException("portcullis.approval.default-deadline must be positive");
    }
  }
}
