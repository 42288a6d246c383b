package io.portcullis.request;

import io.portcullis.kernel.StepRefusedException;

/**
 * A process step ran in an instance that no request was opened by or bound to: it was started at a
 * chosen activity, or with its listeners skipped. Nothing is done for it.
 */
public class UnboundInstanceException extends StepRefusedException {

  UnboundInstanceException(String processInstanceId, String step) {
    super(
        "process instance "
            + processInstanceId
            + " did not open through Portcullis; "
            + step
            + " is refused");
  }
}
