package io.portcullis.support;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an LDAP server that can hold the modify requests of one entry: a held
 * request reaches the server only when the test releases it, after the client has given up waiting
 * for its answer (its read timeout) or has died. What the client sends after it on the same
 * connection (the abandon that JNDI sends on a timeout, its unbind) waits behind it, in order, as
 * it would on a slow network; so the server applies the change although the client timed out, as
 * the slow directory of issue 25 did with a modify delivered 25 s late. Everything else is passed
 * through as it comes, byte for byte.
 *
 * <p>The proxy reads only the frame of each LDAP message from the client (a BER sequence) and the
 * first bytes of its operation, to tell a modify of the held entry from the rest; it never changes
 * a byte.
 */
public final class HeldWritesProxy implements AutoCloseable {

  private static final int SEQUENCE = 0x30;
  private static final int MODIFY_REQUEST = 0x66;
  private static final int OCTET_STRING = 0x04;

  private final ServerSocket listener;
  private final int serverPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile DN heldEntry;
  private volatile CountDownLatch released = new CountDownLatch(0);
  private final Object heldLock = new Object();
  private int heldNow;
  private final AtomicInteger forwardedLate = new AtomicInteger();

  /**
   * Starts a proxy on a free port of the loopback address, in front of the server on {@code
   * serverPort} there.
   */
  public HeldWritesProxy(int serverPort) {
    this.serverPort = serverPort;
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("could not listen: " + e.getMessage(), e);
    }
    Thread accepting = new Thread(this::accept, "held-writes-proxy");
    accepting.setDaemon(true);
    accepting.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /**
   * From now on, holds every modify request of this entry, on any connection, until {@link
   * #release()}.
   */
  public void holdModifiesOf(String dn) {
    try {
      synchronized (heldLock) {
        released = new CountDownLatch(1);
        heldNow = 0;
      }
      heldEntry = new DN(dn);
    } catch (LDAPException e) {
      throw new IllegalArgumentException(dn, e);
    }
  }

  /** Waits until {@code count} modifies are held; false if they did not come in time. */
  public boolean awaitHeld(int count, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (heldLock) {
      while (heldNow < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        heldLock.wait(left);
      }
      return true;
    }
  }

  /**
   * Lets the held requests (and what queued behind them) go on to the server; holds nothing more.
   */
  public void release() {
    heldEntry = null;
    synchronized (heldLock) {
      released.countDown();
      heldNow = 0;
    }
  }

  /** How many held requests went on to the server after their release. */
  public int forwardedLate() {
    return forwardedLate.get();
  }

  @Override
  public void close() {
    release();
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
        sockets.add(client);
        sockets.add(server);
        start("held-writes-proxy-up", () -> clientToServer(client, server));
        start("held-writes-proxy-down", () -> copy(server, client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Message by message, in order; a modify of the held entry waits for the release, and everything
   * after it with it.
   */
  private void clientToServer(Socket client, Socket server) {
    try (InputStream in = client.getInputStream()) {
      OutputStream out = server.getOutputStream();
      while (true) {
        byte[] message = readMessage(in);
        if (message == null) {
          break;
        }
        DN held = heldEntry;
        if (held != null && held.equals(modifiedEntry(message))) {
          CountDownLatch release;
          synchronized (heldLock) {
            release = released;
            heldNow++;
            heldLock.notifyAll();
          }
          release.await();
          forwardedLate.incrementAndGet();
        }
        out.write(message);
        out.flush();
      }
      server.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(server);
    }
  }

  private static void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream()) {
      in.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  /**
   * One whole LDAP message (a BER sequence with a definite length), or null at the end of the
   * stream.
   */
  private static byte[] readMessage(InputStream in) throws IOException {
    int tag = in.read();
    if (tag < 0) {
      return null;
    }
    if (tag != SEQUENCE) {
      throw new IOException("not an LDAP message: tag " + tag);
    }
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.write(tag);
    int length = readLength(in, message);
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("the client closed the connection within a message");
    }
    message.write(body);
    return message.toByteArray();
  }

  private static int readLength(InputStream in, ByteArrayOutputStream copy) throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException();
    }
    copy.write(first);
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      copy.write(b);
      length = (length << 8) | b;
    }
    return length;
  }

  /** The entry a modify request names, or null for any other message. */
  private static DN modifiedEntry(byte[] message) {
    Cursor c = new Cursor(message);
    c.skipTagAndLength(); // the message's sequence
    c.skipElement(); // the message id
    if (c.next() != MODIFY_REQUEST) {
      return null;
    }
    c.length();
    if (c.next() != OCTET_STRING) {
      return null;
    }
    int length = c.length();
    try {
      return new DN(new String(message, c.position, length, StandardCharsets.UTF_8));
    } catch (LDAPException e) {
      return null;
    }
  }

  /** Reads BER tags and lengths from a whole message. */
  private static final class Cursor {
    private final byte[] bytes;
    private int position;

    Cursor(byte[] bytes) {
      this.bytes = bytes;
    }

    int next() {
      return bytes[position++] & 0xff;
    }

    int length() {
      int first = next();
      if (first < 0x80) {
        return first;
      }
      int length = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        length = (length << 8) | next();
      }
      return length;
    }

    void skipTagAndLength() {
      next();
      length();
    }

    void skipElement() {
      next();
      int length = length();
      position += length;
    }
  }
}
