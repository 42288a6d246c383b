package io.portcullis.kernel;

/**
 * A rule's answer: a failure that every door turns into a 4xx of its own, never a fault of
 * Portcullis. Found in the exceptions the engine wraps around it, so that a caller that explains
 * other failures (a change that met another) leaves these as they are.
 */
public interface RuleAnswer {

  /** Whether a rule's answer is in this exception or its causes. */
  static boolean in(Throwable e) {
    return find(e, RuleAnswer.class) != null;
  }

  /** The first cause of this type, the exception itself included; null when there is none. */
  static <T> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
