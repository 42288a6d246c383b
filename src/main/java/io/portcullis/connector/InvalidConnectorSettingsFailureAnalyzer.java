package io.portcullis.connector;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A bad connector instance ends start-up with the instance and the setting, not a stack of beans.
 */
class InvalidConnectorSettingsFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidConnectorSettingsException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, InvalidConnectorSettingsException cause) {
    return new FailureAnalysis(
        "A connector instance cannot be built: " + cause.getMessage() + ".",
        "Correct that instance under portcullis.connectors (see the README, Connectors). Each instance needs a type "
            + "this node has and the settings of that type; secrets come from the environment.",
        cause);
  }
}
