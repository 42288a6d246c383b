package io.portcullis.jobs;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up refused by a rule of the job executor across nodes ends with that rule, not a stack of
 * bean errors.
 */
class NodeStartRefusedFailureAnalyzer extends AbstractFailureAnalyzer<NodeStartRefusedException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, NodeStartRefusedException cause) {
    return new FailureAnalysis(
        "This node refuses to start: " + cause.getMessage(),
        "See the README, \"Running in production\" (several nodes), then start again.",
        cause);
  }
}
