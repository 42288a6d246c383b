package io.portcullis.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request written byte for byte on a socket, for what no HTTP client sends: a request line with a raw
 * {@code {} or {@code \}, which {@link java.net.URI} refuses to build. Reads the answer until the server
 * closes the connection ({@code Connection: close}).
 */
public final class RawRequest {

  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");

  private RawRequest() {}

  /** {@code method target HTTP/1.1}, with Host, these headers and Connection: close, no body. */
  public static Door.Answer send(
      int port, String method, String target, Map<String, String> headers) {
    StringBuilder request =
        new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      String head = end < 0 ? answer : answer.substring(0, end);
      String body = end < 0 ? "" : answer.substring(end + 4);
      Matcher status = STATUS.matcher(head);
      if (!status.lookingAt()) {
        throw new IllegalStateException("not an HTTP answer: " + answer);
      }
      Map<String, List<String>> fields = new LinkedHashMap<>();
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields
              .computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
              .add(line.substring(colon + 1).trim());
        }
      }
      if (fields.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
        body = unchunked(body);
      }
      HttpHeaders all = HttpHeaders.of(fields, (a, b) -> true);
      return new Door.Answer(
          Integer.parseInt(status.group(1)),
          body,
          all.firstValue("Content-Type").orElse(""),
          all.firstValue("Retry-After").orElse(null),
          all);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + target + " failed", e);
    }
  }

  private static String unchunked(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
