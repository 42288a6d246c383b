package io.portcullis.operations;

import java.util.List;

/** The prod profile was started with settings that only the demo may use; each problem is named. */
class UnsafeProductionSettingsException extends RuntimeException {

  private final List<String> problems;

  UnsafeProductionSettingsException(List<String> problems) {
    super("the prod profile refuses to start: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  List<String> problems() {
    return problems;
  }
}
