package io.portcullis.support;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many connections the embedded directory has accepted so far, counted by the server itself:
 * each of its listeners numbers the connections it accepts. UnboundID does not publish that number,
 * so it is read by reflection (test code only).
 */
public final class LdapConnections {

  private LdapConnections() {}

  public static long acceptedSoFar(InMemoryDirectoryServer server) {
    try {
      Field listenersField = InMemoryDirectoryServer.class.getDeclaredField("listeners");
      listenersField.setAccessible(true);
      long total = 0;
      for (Object listener : ((Map<?, ?>) listenersField.get(server)).values()) {
        Field next = listener.getClass().getDeclaredField("nextConnectionID");
        next.setAccessible(true);
        total += ((AtomicLong) next.get(listener)).get();
      }
      return total;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "this UnboundID version keeps its connection count elsewhere", e);
    }
  }
}
