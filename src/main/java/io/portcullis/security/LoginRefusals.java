package io.portcullis.security;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Refused logins as the audit trail keeps them, so that a flood of them is a handful of events, not
 * one signed row per request (issue 24: about 80 a second, 9 KiB each):
 *
 * <ul>
 *   <li>a wrong name, password or token ({@code login.failed}) is an event of its own, up to {@code
 *       portcullis.login.address-burst} from one address in a period; beyond that, it is
 *       summarised;
 *   <li>a throttled attempt ({@code login.throttled}) is always summarised.
 * </ul>
 *
 * A summary stands for one action, name (or bearer token) and address in one period ({@code
 * portcullis.login.summary-period}): its {@code count}, {@code first} and {@code last} time and the
 * {@code doors} it came in by. Summaries are written at the end of each period whether or not more
 * attempts come, and at shutdown, so a crash loses at most one period of them. Their number is
 * bounded too: at most {@value #NAMES_PER_ADDRESS} names per address and {@value #MAX_SUMMARIES}
 * summaries per period, the rest folded into one for {@value #OTHER_NAMES} (and {@value
 * #OTHER_ADDRESSES}).
 */
@Component
class LoginRefusals implements SmartLifecycle {

  static final int MAX_SUMMARIES = 1000;
  static final int NAMES_PER_ADDRESS = 20;
  static final String OTHER_NAMES = "[other names]";
  static final String OTHER_ADDRESSES = "[other addresses]";

  /**
   * Stopped after the web server (its phase is {@code DEFAULT_PHASE - 2048}): no request adds a
   * refusal after the last flush.
   */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(LoginRefusals.class);

  private final Consumer<AuditEvent.Draft> trail;
  private final int burst;
  private final Duration period;
  private final Supplier<Instant> clock;

  private Period current = new Period();
  private ScheduledExecutorService schedule;

  @Autowired
  LoginRefusals(@Lazy AuditTrail trail, LoginThrottleProperties settings) {
    this(
        trail::recordOnItsOwn,
        settings.addressBurst(),
        settings.summaryPeriod(),
        () -> ClockUtil.getCurrentTime().toInstant());
  }

  /**
   * @param trail where events go
   * @param burst how many failed logins from one address are events of their own in a period
   * @param clock the time of each attempt: the engine's, as for every audit event
   */
  LoginRefusals(
      Consumer<AuditEvent.Draft> trail, int burst, Duration period, Supplier<Instant> clock) {
    this.trail = trail;
    this.burst = burst;
    this.period = period;
    this.clock = clock;
  }

  /** What was tried: a name with its password, or a bearer token, which names nobody. */
  record Tried(String name) {

    static final Tried TOKEN = new Tried(null);

    /**
     * @param attempted the name as tried, or null for one that could not be a user name
     */
    static Tried name(String attempted) {
      return new Tried(attempted == null ? "[not a user name]" : attempted);
    }

    private AuditEvent.Draft describe(AuditEvent.Draft draft) {
      // not "credential": the trail redacts details named like a secret
      return name == null ? draft.detail("presented", "bearer token") : draft.detail("name", name);
    }
  }

  /** A wrong name, password or token, checked and refused. */
  void failed(String door, Tried tried, String address) {
    boolean onItsOwn;
    synchronized (this) {
      onItsOwn =
          current.failuresOnTheirOwn.merge(String.valueOf(address), 1, Integer::sum) <= burst;
      if (!onItsOwn) {
        current.add(AuditAction.LOGIN_FAILED, tried, address, door, clock.get());
      }
    }
    if (onItsOwn) {
      trail.accept(
          tried
              .describe(
                  AuditEvent.Draft.by(DirectoryLogin.ANONYMOUS, AuditAction.LOGIN_FAILED)
                      .detail("door", door))
              .detail("address", address));
    }
  }

  /** An attempt refused unchecked, because too many failed for it lately. */
  synchronized void throttled(String door, Tried tried, String address) {
    current.add(AuditAction.LOGIN_THROTTLED, tried, address, door, clock.get());
  }

  /**
   * Writes the summaries of the period that ends now. One the trail does not take (the database
   * away) is kept for the next period, with what comes in meanwhile.
   */
  void flush() {
    Period ended;
    synchronized (this) {
      ended = current;
      current = new Period();
    }
    List<Map.Entry<Key, Summary>> left = new ArrayList<>(ended.summaries.entrySet());
    while (!left.isEmpty()) {
      Map.Entry<Key, Summary> next = left.get(0);
      try {
        trail.accept(next.getValue().draft(next.getKey(), period));
      } catch (RuntimeException e) {
        log.warn(
            "{} login refusal summaries not written to the audit trail, kept for the next period: {}",
            left.size(),
            e.toString());
        synchronized (this) {
          left.forEach(
              kept -> current.summaries.merge(kept.getKey(), kept.getValue(), Summary::merge));
        }
        return;
      }
      left.remove(0);
    }
  }

  // --- the schedule

  @Override
  public synchronized void start() {
    if (schedule != null) {
      return;
    }
    schedule =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "login-refusals");
              thread.setDaemon(true);
              return thread;
            });
    schedule.scheduleWithFixedDelay(
        this::flushQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the schedule, then writes what the last period gathered. */
  @Override
  public void stop() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = schedule;
      schedule = null;
    }
    if (stopping == null) {
      return;
    }
    stopping.shutdown();
    try {
      if (!stopping.awaitTermination(30, TimeUnit.SECONDS)) {
        stopping.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }

  @Override
  public synchronized boolean isRunning() {
    return schedule != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("login refusal summaries not written: {}", e.toString());
    }
  }

  // --- one period

  private record Key(String action, Tried tried, String address) {}

  private static final class Summary {
    private long count;
    private Instant first;
    private Instant last;
    private final TreeSet<String> doors = new TreeSet<>();

    void add(String door, Instant at) {
      count++;
      first = first == null || at.isBefore(first) ? at : first;
      last = last == null || at.isAfter(last) ? at : last;
      doors.add(door);
    }

    Summary merge(Summary other) {
      count += other.count;
      first = first.isBefore(other.first) ? first : other.first;
      last = last.isAfter(other.last) ? last : other.last;
      doors.addAll(other.doors);
      return this;
    }

    AuditEvent.Draft draft(Key key, Duration period) {
      return key.tried()
          .describe(AuditEvent.Draft.by(DirectoryLogin.ANONYMOUS, key.action()))
          .detail("address", key.address())
          .detail("doors", List.copyOf(doors))
          .detail("count", count)
          .detail("first", first.truncatedTo(ChronoUnit.MILLIS).toString())
          .detail("last", last.truncatedTo(ChronoUnit.MILLIS).toString())
          .detail("period", period.toString());
    }
  }

  private static final class Period {
    private final Map<Key, Summary> summaries = new LinkedHashMap<>();
    private final Map<String, Integer> namesByAddress = new HashMap<>();
    private final Map<String, Integer> failuresOnTheirOwn = new HashMap<>();

    void add(String action, Tried tried, String address, String door, Instant at) {
      String where = String.valueOf(address);
      Key key = new Key(action, tried, where);
      if (!summaries.containsKey(key)) {
        if (summaries.size() >= MAX_SUMMARIES) {
          key = new Key(action, new Tried(OTHER_NAMES), OTHER_ADDRESSES);
        } else if (namesByAddress.getOrDefault(where, 0) >= NAMES_PER_ADDRESS) {
          key = new Key(action, new Tried(OTHER_NAMES), where);
        } else {
          namesByAddress.merge(where, 1, Integer::sum);
        }
      }
      summaries.computeIfAbsent(key, k -> new Summary()).add(door, at);
    }
  }
}
