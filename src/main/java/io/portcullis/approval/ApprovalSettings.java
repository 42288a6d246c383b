package io.portcullis.approval;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of approval, under {@code portcullis.approval}.
 *
 * @param defaultDeadline when a stage nobody decides lapses the request (24 hours unless set)
 * @param maxDelegation the longest period an approver may delegate their approvals for (90 days
 *     unless set)
 */
@ConfigurationProperties("portcullis.approval")
public record ApprovalSettings(Duration defaultDeadline, Duration maxDelegation) {

  public ApprovalSettings {
    defaultDeadline = defaultDeadline == null ? Duration.ofHours(24) : defaultDeadline;
    if (defaultDeadline.isNegative() || defaultDeadline.isZero()) {
      throw new IllegalArgumentException("portcullis.approval.default-deadline must be positive");
    }
    maxDelegation = maxDelegation == null ? Duration.ofDays(90) : maxDelegation;
    if (maxDelegation.isNegative() || maxDelegation.isZero()) {
      throw new IllegalArgumentException("portcullis.approval.max-delegation must be positive");
    }
  }
}
