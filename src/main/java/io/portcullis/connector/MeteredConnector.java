package io.portcullis.connector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * A connector with its calls counted and timed, by connector and operation and outcome: meter
 * {@code portcullis.connector.calls} (Prometheus {@code portcullis_connector_calls_seconds_count} and
 * {@code _sum}), tags {@code connector}, {@code operation} (grant, revoke, holds) and {@code outcome}
 * ({@code success}, {@code failure}). A failure is any exception, which the engine then retries.
 */
final class MeteredConnector implements Connector {

  static final String METER = "portcullis.connector.calls";

  private final Connector connector;
  private final MeterRegistry registry;

  MeteredConnector(Connector connector, MeterRegistry registry) {
    this.connector = connector;
    this.registry = registry;
    for (String operation : new String[] {"grant", "revoke", "holds"}) {
      for (String outcome : new String[] {"success", "failure"}) {
        timer(operation, outcome); // every series exists from the start, so a rate of failures starts at 0
      }
    }
  }

  @Override
  public String name() {
    return connector.name();
  }

  @Override
  public void validateTarget(String target) {
    connector.validateTarget(target);
  }

  @Override
  public void grant(String username, String target) {
    timed("grant", () -> {
      connector.grant(username, target);
      return null;
    });
  }

  @Override
  public void revoke(String username, String target) {
    timed("revoke", () -> {
      connector.revoke(username, target);
      return null;
    });
  }

  @Override
  public boolean holds(String username, String target) {
    return timed("holds", () -> connector.holds(username, target));
  }

  private <T> T timed(String operation, Supplier<T> call) {
    long start = System.nanoTime();
    String outcome = "failure";
    try {
      T result = call.get();
      outcome = "success";
      return result;
    } finally {
      timer(operation, outcome).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private Timer timer(String operation, String outcome) {
    return Timer.builder(METER).description("Calls to a connector's target system")
        .tags("connector", connector.name(), "operation", operation, "outcome", outcome).register(registry);
  }
}
