package io.portcullis.request;

import java.time.Instant;

/** One approver's decision on one stage of a request. */
public record Decision(int stage, String approver, Verdict decision, String comment, Instant at) {

  public enum Verdict {
    APPROVE,
    DENY
  }
}
