package io.portcullis.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The CPU time of a set of threads (chosen by name) during a measurement, for a benchmark whose
 * stand-ins for outside systems run in its own JVM: the embedded directory's connection threads are
 * the company's LDAP server, not Portcullis, and their CPU is not the product's. Threads come and
 * go (the directory starts one per connection), so every live thread is sampled every 100 ms and
 * each keeps its highest reading; a thread that ends loses at most its last 100 ms.
 */
public final class ThreadCpu implements AutoCloseable {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Predicate<String> chosen;
  private final Map<Long, Long> atStart = new ConcurrentHashMap<>();
  private final Map<Long, Long> latest = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "thread-cpu-sampler");
            t.setDaemon(true);
            return t;
          });

  private ThreadCpu(Predicate<String> chosen) {
    this.chosen = chosen;
    sample(atStart);
    sampler.scheduleAtFixedRate(() -> sample(latest), 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Starts watching the threads whose names start with {@code prefix}. */
  public static ThreadCpu ofThreadsNamed(String prefix) {
    return new ThreadCpu(name -> name.startsWith(prefix));
  }

  private void sample(Map<Long, Long> into) {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && chosen.test(info.getThreadName())) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          into.merge(info.getThreadId(), cpu, Math::max);
        }
      }
    }
  }

  /** Milliseconds of CPU the chosen threads used since the start. */
  public double millis() {
    sample(latest);
    long total = 0;
    for (var e : latest.entrySet()) {
      total += e.getValue() - atStart.getOrDefault(e.getKey(), 0L);
    }
    return total / 1e6;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
