package io.portcullis.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Many HTTP callers at once, as a burst of people would be: each call runs on a thread of its own,
 * all released together by one gate, and each answer is kept with its status and how long it took.
 * A plain JDK client, one connection per caller, so nothing in the client queues the calls.
 */
public final class HttpLoad {

  private final HttpClient client;
  private final String base;

  public HttpLoad(int port) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.base = "http://127.0.0.1:" + port;
  }

  /** One call: who makes it, how, where, with what body (null for none). */
  public record Call(String user, String method, String path, String json) {

    public static Call get(String user, String path) {
      return new Call(user, "GET", path, null);
    }

    public static Call post(String user, String path, String json) {
      return new Call(user, "POST", path, json);
    }
  }

  /** One answer: the call, its status (0 when the call itself failed), its body and its time. */
  public record Answer(Call call, int status, String body, Duration took) {}

  /** Sends one call now, on this thread. */
  public Answer send(Call call) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + call.path()))
            .timeout(Duration.ofSeconds(120))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (call.user() + ":" + LoadPeople.password(call.user()))
                                .getBytes(StandardCharsets.UTF_8)));
    if (call.json() != null) {
      request
          .header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofString(call.json()));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          call,
          response.statusCode(),
          response.body(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (Exception e) {
      return new Answer(call, 0, e.toString(), Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Sends every call at the same moment, each on its own thread, and returns the answers in the
   * calls' order.
   */
  public List<Answer> burst(List<Call> calls) {
    return burst(calls, call -> call);
  }

  /**
   * As {@link #burst(List)}, each caller first turning its item into a call (on its own thread,
   * before the gate).
   */
  public <T> List<Answer> burst(List<T> items, Function<T, Call> toCall) {
    ExecutorService threads = Executors.newFixedThreadPool(items.size());
    CountDownLatch ready = new CountDownLatch(items.size());
    CountDownLatch gate = new CountDownLatch(1);
    try {
      List<Future<Answer>> pending = new ArrayList<>();
      for (T item : items) {
        pending.add(
            threads.submit(
                () -> {
                  Call call = toCall.apply(item);
                  ready.countDown();
                  gate.await();
                  return send(call);
                }));
      }
      if (!ready.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the callers did not get ready");
      }
      gate.countDown();
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> f : pending) {
        answers.add(f.get(5, TimeUnit.MINUTES));
      }
      return answers;
    } catch (Exception e) {
      throw new IllegalStateException("the burst did not complete: " + e, e);
    } finally {
      threads.shutdownNow();
    }
  }

  /** The slowest answer's time. */
  public static Duration slowest(List<Answer> answers) {
    return answers.stream().map(Answer::took).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
  }
}
