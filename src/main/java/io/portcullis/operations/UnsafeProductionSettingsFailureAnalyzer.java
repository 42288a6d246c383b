package io.portcullis.operations;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up of the prod profile on demo or missing settings ends with the list of what is wrong. */
class UnsafeProductionSettingsFailureAnalyzer
    extends AbstractFailureAnalyzer<UnsafeProductionSettingsException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, UnsafeProductionSettingsException cause) {
    String list = cause.problems().stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    return new FailureAnalysis(
        "The prod profile refuses to start with these settings:\n" + list,
        "Set each of them in the environment (the README's \"Running in production\" lists them all) and start again. "
            + "The demo profile, its embedded directory and its audit keys are for trying Portcullis only.",
        cause);
  }
}
