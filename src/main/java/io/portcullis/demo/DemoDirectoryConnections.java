package io.portcullis.demo;

import com.unboundid.ldap.sdk.DN;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ServerSocketFactory;

/**
 * Who each open connection of the demo directory is bound as, for {@link DemoDirectoryAccess}.
 * UnboundID's in-memory server numbers its connections but tells an operation interceptor neither
 * who a connection is bound as nor when it closes (its interceptor chain never passes the close
 * on), so this keeps both from what the server does publish: each bind's outcome (from the
 * interceptor), each new connection's number and client address (its access log's {@code CONNECT}
 * line), and each closed socket (the listener's sockets come from {@link #serverSockets()}). A
 * closed connection's bind is forgotten at once, so the record never grows beyond the connections
 * that are open.
 */
final class DemoDirectoryConnections {

  private static final Pattern CONNECT = Pattern.compile(" CONNECT conn=(\\d+) from=\"([^\"]+)\"");

  private final ConcurrentMap<Long, DN> boundAs = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Long> byClient = new ConcurrentHashMap<>();

  /** The DN the connection is bound as; {@code null} for an anonymous one. */
  DN boundAs(long connection) {
    return boundAs.get(connection);
  }

  void bound(long connection, DN dn) {
    boundAs.put(connection, dn);
  }

  void anonymous(long connection) {
    boundAs.remove(connection);
  }

  /** Open connections that are bound as someone. */
  int bound() {
    return boundAs.size();
  }

  /** Connections that are open. */
  int open() {
    return byClient.size();
  }

  /** The server's access log, read for the number and client address of each new connection. */
  Handler accessLog() {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.contains(" CONNECT conn=")) {
          return;
        }
        Matcher connect = CONNECT.matcher(message);
        if (connect.find()) {
          byClient.put(connect.group(2), Long.parseLong(connect.group(1)));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  /** Server sockets whose accepted connections, when closed, are forgotten here. */
  ServerSocketFactory serverSockets() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new Tracked();
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return bind(new Tracked(), port, 50, null);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return bind(new Tracked(), port, backlog, null);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
          throws IOException {
        return bind(new Tracked(), port, backlog, address);
      }
    };
  }

  private static ServerSocket bind(ServerSocket socket, int port, int backlog, InetAddress address)
      throws IOException {
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(address, port), backlog);
    return socket;
  }

  private void closed(Socket socket) {
    Long connection =
        byClient.remove(socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
    if (connection != null) {
      boundAs.remove(connection);
    }
  }

  private final class Tracked extends ServerSocket {

    Tracked() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket accepted =
          new Socket() {
            @Override
            public synchronized void close() throws IOException {
              try {
                super.close();
              } finally {
                if (getInetAddress() != null) {
                  closed(this);
                }
              }
            }
          };
      implAccept(accepted);
      return accepted;
    }
  }
}
