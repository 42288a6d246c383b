package io.portcullis.notification;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free local port that answers as an incoming webhook of Slack or Teams
 * does (200 and a short body), or with the status a test sets; it keeps every request it received.
 */
final class WebhookReceiver implements AutoCloseable {

  /** The path of the webhook: the part of a Slack or Teams URL that is its secret. */
  static final String SECRET_PATH = "/services/T0PORTCULLIS/B0NOTIFY/s3cr3t-webhook-token";

  record Received(String method, String path, String contentType, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext(
          "/",
          exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
              receiver.received.add(
                  new Received(
                      exchange.getRequestMethod(),
                      exchange.getRequestURI().getPath(),
                      exchange.getRequestHeaders().getFirst("Content-Type"),
                      new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            int answer = receiver.status.get();
            byte[] body =
                (answer == 200 ? "ok" : "internal error").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The webhook's URL, secret path included. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
  }

  void answer(int status) {
    this.status.set(status);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  void clear() {
    received.clear();
    status.set(200);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
