package io.portcullis.kernel;

/**
 * Who Portcullis refuses because they are leaving: from the moment an offboarding froze them, every
 * door refuses them whatever the directory still says (a login, a webapp session already open, a
 * grant still in flight for them). Offboarding answers it; security and the features ask it, so the
 * rule has one home. It lives in the kernel because both ask it: {@code security} may use no
 * feature, and {@code request} may not use {@code offboarding} (which uses {@code request}), so
 * neither owner would do.
 */
public interface LeavingPeople {

  /** Whether this person, by any spelling the directory accepts, is frozen by an offboarding. */
  boolean frozen(Username username);
}
