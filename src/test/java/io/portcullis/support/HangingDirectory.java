package io.portcullis.support;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A directory that hangs on demand, as a stopped slapd or a server stuck on a lock does: it still
 * accepts connections, but binds and searches get no answer until {@link #resume()}. Each held
 * request waits at most a minute, so a test that forgets to resume cannot hang the build.
 */
public final class HangingDirectory extends InMemoryOperationInterceptor {

  private volatile CountDownLatch held;

  /** From now on, binds and searches get no answer. */
  public void hang() {
    held = new CountDownLatch(1);
  }

  /** Every held request is answered, and new ones at once. */
  public void resume() {
    CountDownLatch latch = held;
    held = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  @Override
  public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
    hold();
  }

  @Override
  public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
    hold();
  }

  private void hold() {
    CountDownLatch latch = held;
    if (latch == null) {
      return;
    }
    try {
      latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
