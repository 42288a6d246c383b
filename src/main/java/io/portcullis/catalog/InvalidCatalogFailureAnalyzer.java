package io.portcullis.catalog;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bad catalog ends start-up with the entry and the mistake, not a stack of beans. */
class InvalidCatalogFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCatalogException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidCatalogException cause) {
    return new FailureAnalysis(
        "The catalog has an entry that cannot be offered: " + cause.getMessage() + ".",
        "Correct that entry under portcullis.catalog (see the README, Configuration). Each entry needs an id, a name, a "
            + "connector this node has, a target that connector can grant, a max-duration at least "
            + "portcullis.requests.min-duration, and an approver-group.",
        cause);
  }
}
