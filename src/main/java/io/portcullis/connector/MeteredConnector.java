package io.portcullis.connector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A connector with its calls counted and timed, by connector and operation and outcome: meter
 * {@code portcullis.connector.calls} (Prometheus {@code portcullis_connector_calls_seconds_count}
 * and {@code _sum}), tags {@code connector}, {@code operation} (grant, revoke, holds, and for the
 * capabilities the connector has: discover; members; disable, enable, is-disabled, end-sessions;
 * batch-revoke) and {@code outcome} ({@code success}, {@code failure}). A failure is any exception,
 * which the engine then retries.
 *
 * <p>The decorator hides no capability: it has exactly those of the connector it wraps, each
 * counted the same way.
 */
final class MeteredConnector implements Connector {

  static final String METER = "portcullis.connector.calls";

  private final Connector connector;
  private final MeterRegistry registry;
  private final Optional<Discovery> discovery;
  private final Optional<MemberListing> memberListing;
  private final Optional<AccountControl> accountControl;
  private final Optional<BatchRevoke> batchRevoke;

  MeteredConnector(Connector connector, MeterRegistry registry) {
    this.connector = connector;
    this.registry = registry;
    this.discovery = connector.capability(Discovery.class).map(MeteredDiscovery::new);
    this.memberListing = connector.capability(MemberListing.class).map(MeteredMemberListing::new);
    this.accountControl =
        connector.capability(AccountControl.class).map(MeteredAccountControl::new);
    this.batchRevoke = connector.capability(BatchRevoke.class).map(MeteredBatchRevoke::new);
    registerSeries("grant", "revoke", "holds");
    discovery.ifPresent(d -> registerSeries("discover"));
    memberListing.ifPresent(m -> registerSeries("members"));
    accountControl.ifPresent(
        a -> registerSeries("disable", "enable", "is-disabled", "end-sessions"));
    batchRevoke.ifPresent(b -> registerSeries("batch-revoke"));
  }

  @Override
  public ConnectorName name() {
    return connector.name();
  }

  @Override
  public void validateTarget(Target target) {
    connector.validateTarget(target);
  }

  @Override
  public boolean sameTarget(Target a, Target b) {
    return connector.sameTarget(a, b);
  }

  @Override
  public Duration worstStep() {
    return connector.worstStep();
  }

  @Override
  public void grant(Username username, Target target) {
    run("grant", () -> connector.grant(username, target));
  }

  @Override
  public void revoke(Username username, Target target) {
    run("revoke", () -> connector.revoke(username, target));
  }

  @Override
  public boolean holds(Username username, Target target) {
    return timed("holds", () -> connector.holds(username, target));
  }

  @Override
  public <C extends Capability> Optional<C> capability(Class<C> type) {
    if (type == Discovery.class) {
      return discovery.map(type::cast);
    }
    if (type == MemberListing.class) {
      return memberListing.map(type::cast);
    }
    if (type == AccountControl.class) {
      return accountControl.map(type::cast);
    }
    if (type == BatchRevoke.class) {
      return batchRevoke.map(type::cast);
    }
    // Capability is sealed: a new one fails here, in every test, until it is counted above
    throw new IllegalStateException(
        "MeteredConnector does not know the capability " + type.getName());
  }

  private final class MeteredDiscovery implements Discovery {
    private final Discovery discovery;

    MeteredDiscovery(Discovery discovery) {
      this.discovery = discovery;
    }

    @Override
    public SortedSet<Target> holdings(Username username) {
      return timed("discover", () -> discovery.holdings(username));
    }
  }

  private final class MeteredMemberListing implements MemberListing {
    private final MemberListing listing;

    MeteredMemberListing(MemberListing listing) {
      this.listing = listing;
    }

    @Override
    public SortedSet<Username> members(Target target) {
      return timed("members", () -> listing.members(target));
    }
  }

  private final class MeteredBatchRevoke implements BatchRevoke {
    private final BatchRevoke batch;

    MeteredBatchRevoke(BatchRevoke batch) {
      this.batch = batch;
    }

    @Override
    public SortedMap<Username, Revoked> revokeAll(Target target, SortedSet<Username> people) {
      return timed("batch-revoke", () -> batch.revokeAll(target, people));
    }
  }

  private final class MeteredAccountControl implements AccountControl {
    private final AccountControl control;

    MeteredAccountControl(AccountControl control) {
      this.control = control;
    }

    @Override
    public void disable(Username username) {
      run("disable", () -> control.disable(username));
    }

    @Override
    public void enable(Username username) {
      run("enable", () -> control.enable(username));
    }

    @Override
    public boolean isDisabled(Username username) {
      return timed("is-disabled", () -> control.isDisabled(username));
    }

    @Override
    public boolean endSessions(Username username) {
      return timed("end-sessions", () -> control.endSessions(username));
    }
  }

  private void run(String operation, Runnable call) {
    timed(
        operation,
        () -> {
          call.run();
          return null;
        });
  }

  private <T> T timed(String operation, Supplier<T> call) {
    long start = System.nanoTime();
    String outcome = "failure";
    try {
      T result = call.get();
      outcome = "success";
      return result;
    } finally {
      timer(operation, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** Every series exists from the start, so a rate of failures starts at 0. */
  private void registerSeries(String... operations) {
    for (String operation : operations) {
      timer(operation, "success");
      timer(operation, "failure");
    }
  }

  private Timer timer(String operation, String outcome) {
    return Timer.builder(METER)
        .description("Calls to a connector's target system")
        .tags("connector", connector.name().value(), "operation", operation, "outcome", outcome)
        .register(registry);
  }
}
