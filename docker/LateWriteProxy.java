import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A slow directory for docker/run-by-hand.sh's late-grant check: a TCP proxy in front of an LDAP server
 * that holds the first request to add one member to one group for a while before handing it on, so the
 * server applies it after the client has given up waiting (its read timeout), as the slow directory of
 * issue 25 did. Everything else passes through at once, byte for byte, in order on each connection.
 *
 * <p>Run with a bare JDK: {@code java docker/LateWriteProxy.java <ldap host:port> <group DN> <member DN>
 * <seconds>}. It listens on a free port of the loopback address, prints {@code listening on
 * 127.0.0.1:<port>}, then a line when it holds the add and when it hands it on.
 *
 * <p>Why not pause slapd with SIGSTOP: the connector looks the person up right before it writes, on the
 * same connection, so a paused server stops the lookup and the write never leaves the client.
 */
public class LateWriteProxy {

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: java LateWriteProxy.java <ldap host:port> <group DN> <member DN> <seconds>");
      System.exit(2);
    }
    String[] server = args[0].split(":");
    String group = args[1];
    String member = args[2];
    long delayMillis = Long.parseLong(args[3]) * 1000;
    AtomicBoolean heldOnce = new AtomicBoolean();
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    System.out.println("listening on 127.0.0.1:" + listener.getLocalPort());
    while (true) {
      Socket client = listener.accept();
      Socket upstream = new Socket(server[0], Integer.parseInt(server[1]));
      start(() -> clientToServer(client, upstream, group, member, delayMillis, heldOnce));
      start(() -> copy(upstream, client));
    }
  }

  private static void start(Runnable work) {
    Thread thread = new Thread(work);
    thread.setDaemon(true);
    thread.start();
  }

  /** Message by message; the first add of the member to the group waits, and what follows it on the connection with it. */
  private static void clientToServer(Socket client, Socket upstream, String group, String member, long delayMillis,
      AtomicBoolean heldOnce) {
    try (InputStream in = client.getInputStream()) {
      OutputStream out = upstream.getOutputStream();
      byte[] message;
      while ((message = readMessage(in)) != null) {
        if (addsMember(message, group, member) && heldOnce.compareAndSet(false, true)) {
          System.out.println("held the add of " + member + " to " + group + " for " + delayMillis / 1000 + " s");
          Thread.sleep(delayMillis);
          System.out.println("handed the add of " + member + " on to the directory");
        }
        out.write(message);
        out.flush();
      }
      upstream.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      close(upstream);
    }
  }

  private static void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream()) {
      in.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      close(to);
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  /** One whole LDAP message (a BER sequence of definite length), or null at the end of the stream. */
  private static byte[] readMessage(InputStream in) throws IOException {
    int tag = in.read();
    if (tag < 0) {
      return null;
    }
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.write(tag);
    int first = in.read();
    if (first < 0) {
      throw new EOFException();
    }
    message.write(first);
    int length = first;
    if (first >= 0x80) {
      length = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException();
        }
        message.write(b);
        length = (length << 8) | b;
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException();
    }
    message.write(body);
    return message.toByteArray();
  }

  /**
   * Whether the message is a modify request (application tag 6) of the group that adds (enumerated 0)
   * the member: the group's DN opens the request, and the member's DN is a value in it.
   */
  private static boolean addsMember(byte[] message, String group, String member) {
    int i = skipLength(message, 1); // the message's sequence
    i = skipLength(message, i + 1) + length(message, i + 1); // the message id
    if ((message[i] & 0xff) != 0x66) {
      return false;
    }
    i = skipLength(message, i + 1);
    if ((message[i] & 0xff) != 0x04) {
      return false;
    }
    int dnLength = length(message, i + 1);
    int dnStart = skipLength(message, i + 1);
    String dn = new String(message, dnStart, dnLength, StandardCharsets.UTF_8);
    String rest = new String(message, dnStart + dnLength, message.length - dnStart - dnLength, StandardCharsets.ISO_8859_1);
    return normal(dn).equals(normal(group)) && rest.contains("\012\001\000") && normal(rest).contains(normal(member));
  }

  private static String normal(String dn) {
    return dn.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** The index after the length that starts at {@code at}. */
  private static int skipLength(byte[] m, int at) {
    int first = m[at] & 0xff;
    return first < 0x80 ? at + 1 : at + 1 + (first & 0x7f);
  }

  /** The length that starts at {@code at}. */
  private static int length(byte[] m, int at) {
    int first = m[at] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int k = 0; k < (first & 0x7f); k++) {
      length = (length << 8) | (m[at + 1 + k] & 0xff);
    }
    return length;
  }
}
