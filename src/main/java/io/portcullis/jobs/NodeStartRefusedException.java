package io.portcullis.jobs;

/**
 * This node would run beside the others unsafely (a name another live node holds, a lock time
 * without margin).
 */
class NodeStartRefusedException extends RuntimeException {

  NodeStartRefusedException(String message) {
    super(message);
  }
}
