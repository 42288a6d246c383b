package io.portcullis.bench;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts the SQL statements and commits of one node, by the kind of thread that ran them (its name
 * without the number: {@code http-nio-auto-1-exec}, {@code camundaTaskExecutor}, {@code
 * audit-sealer}, ...), and how often each statement ran. A bean post-processor puts
 * datasource-proxy in front of the node's pool, so every statement is counted whoever sends it: the
 * engine's MyBatis, JdbcTemplate, Flyway.
 *
 * <p>A statement is one SQL sent, each row of a JDBC batch counted as one (as H2's trace counts
 * them). A commit is a {@code Connection.commit()}, or a statement other than a select run in
 * auto-commit mode (its own commit).
 */
final class StatementCounter implements BeanPostProcessor {

  private static final Pattern NUMBER = Pattern.compile("[-_]?\\d+$");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  /**
   * Whether each commit is listed among the statements too, named by where it came from (the
   * engine's command and the first Portcullis frame): to tell which transactions a step has.
   */
  private static final boolean COMMIT_SITES = Boolean.getBoolean("bench.sql.commits");

  private final Map<String, Tally> byThread = new ConcurrentHashMap<>();

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource source && !(bean instanceof ProxyDataSource)) {
      return ProxyDataSourceBuilder.create(source)
          .name("bench-" + beanName)
          .listener(new Queries())
          .methodListener(new Commits())
          .build();
    }
    return bean;
  }

  /** The counts so far, by kind of thread. */
  Snapshot snapshot() {
    Map<String, Counts> counts = new HashMap<>();
    byThread.forEach((kind, tally) -> counts.put(kind, tally.counts()));
    return new Snapshot(counts);
  }

  private Tally tally() {
    String name = Thread.currentThread().getName();
    String kind = NUMBER.matcher(name).replaceAll("");
    return byThread.computeIfAbsent(kind, k -> new Tally());
  }

  private static String commitSite() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                "COMMIT from "
                    + frames
                        .map(f -> f.getClassName() + "." + f.getMethodName())
                        .filter(
                            f ->
                                !f.startsWith("java.")
                                    && !f.startsWith("jdk.")
                                    && !f.startsWith("net.ttddyy")
                                    && !f.startsWith("com.zaxxer")
                                    && !f.startsWith("org.springframework")
                                    && !f.startsWith("io.portcullis.bench")
                                    && !f.startsWith("io.portcullis.security.EngineDoors")
                                    && !f.contains("Interceptor")
                                    && !f.contains("$WithoutTransaction")
                                    && !f.contains("$$"))
                        .limit(4)
                        .toList());
  }

  /** Statements, commits and each statement's runs, of one kind of thread. */
  record Counts(long statements, long commits, Map<String, Long> sql) {
    static final Counts NONE = new Counts(0, 0, Map.of());

    Counts minus(Counts before) {
      Map<String, Long> diff = new HashMap<>();
      sql.forEach(
          (s, n) -> {
            long d = n - before.sql.getOrDefault(s, 0L);
            if (d != 0) {
              diff.put(s, d);
            }
          });
      return new Counts(statements - before.statements, commits - before.commits, diff);
    }

    Counts plus(Counts other) {
      Map<String, Long> sum = new HashMap<>(sql);
      other.sql.forEach((s, n) -> sum.merge(s, n, Long::sum));
      return new Counts(statements + other.statements, commits + other.commits, sum);
    }
  }

  /** The counts of every kind of thread at one moment. */
  record Snapshot(Map<String, Counts> byKind) {

    /** What the threads whose kind starts with one of {@code kinds} did since {@code before}. */
    Counts since(Snapshot before, List<String> kinds) {
      Counts total = Counts.NONE;
      for (Map.Entry<String, Counts> e : byKind.entrySet()) {
        if (kinds.stream().anyMatch(e.getKey()::startsWith)) {
          total =
              total.plus(e.getValue().minus(before.byKind.getOrDefault(e.getKey(), Counts.NONE)));
        }
      }
      return total;
    }

    /** What every other kind of thread did since {@code before}, by kind. */
    Map<String, Counts> othersSince(Snapshot before, List<String> kinds) {
      Map<String, Counts> others = new HashMap<>();
      byKind.forEach(
          (kind, counts) -> {
            if (kinds.stream().noneMatch(kind::startsWith)) {
              Counts d = counts.minus(before.byKind.getOrDefault(kind, Counts.NONE));
              if (d.statements > 0 || d.commits > 0) {
                others.put(kind, d);
              }
            }
          });
      return others;
    }
  }

  private static final class Tally {
    final LongAdder statements = new LongAdder();
    final LongAdder commits = new LongAdder();
    final Map<String, LongAdder> sql = new ConcurrentHashMap<>();

    Counts counts() {
      Map<String, Long> each = new HashMap<>();
      sql.forEach((s, n) -> each.put(s, n.sum()));
      return new Counts(statements.sum(), commits.sum(), each);
    }
  }

  private final class Queries implements QueryExecutionListener {
    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {}

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
      Tally tally = tally();
      boolean write = false;
      for (QueryInfo query : queryInfoList) {
        int runs = execInfo.isBatch() ? Math.max(1, query.getParametersList().size()) : 1;
        String sql = SPACE.matcher(query.getQuery().trim()).replaceAll(" ");
        tally.statements.add(runs);
        tally.sql.computeIfAbsent(sql, s -> new LongAdder()).add(runs);
        write |= !sql.toLowerCase(Locale.ROOT).startsWith("select");
      }
      if (write && autoCommit(execInfo.getStatement())) {
        tally.commits.increment();
      }
    }

    private boolean autoCommit(Statement statement) {
      try {
        return statement != null && statement.getConnection().getAutoCommit();
      } catch (SQLException e) {
        return false;
      }
    }
  }

  private final class Commits implements MethodExecutionListener {
    @Override
    public void beforeMethod(MethodExecutionContext executionContext) {}

    @Override
    public void afterMethod(MethodExecutionContext executionContext) {
      Method method = executionContext.getMethod();
      if (executionContext.getTarget() instanceof Connection
          && method.getName().equals("commit")
          && executionContext.getThrown() == null) {
        Tally tally = tally();
        tally.commits.increment();
        if (COMMIT_SITES) {
          tally.sql.computeIfAbsent(commitSite(), s -> new LongAdder()).increment();
        }
      }
    }
  }
}
