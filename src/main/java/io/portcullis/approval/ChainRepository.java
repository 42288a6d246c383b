package io.portcullis.approval;

import io.portcullis.jobs.EngineTables;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Chains, stages and decisions. Every write joins the open transaction (the engine's, in a process
 * step), so a decision and the task's completion commit or roll back together.
 *
 * <p>A chain read in a transaction is kept for the rest of it ({@link ReadInTransaction}): a
 * request's create, approval and grant each ask for it from several listeners and steps (issue 31).
 * Every write of a chain drops it, so the next read in that transaction goes to the database again
 * and sees the write, and whatever was committed before it.
 */
@Repository
class ChainRepository {

  private final NamedParameterJdbcTemplate jdbc;

  /** This repository's key among the open transaction's resources. */
  private final Object readKey = new Object();

  /** Asked when first needed: the engine's own start may need beans that need this repository. */
  private final ObjectProvider<ProcessEngine> engine;

  ChainRepository(NamedParameterJdbcTemplate jdbc, ObjectProvider<ProcessEngine> engine) {
    this.jdbc = jdbc;
    this.engine = engine;
  }

  void insert(Chain chain, Instant openedAt) {
    // the duration asked is the request's to keep (access_request.duration), read with the chain
    jdbc.update(
        "insert into approval_chain (request_id, process_instance_id, requester, resource_id, kind, policy_version, opened_at) "
            + "values (:id, :pi, :requester, :resource, 'access', :policy, :at)",
        new MapSqlParameterSource("id", chain.requestId().value())
            .addValue("pi", chain.processInstanceId())
            .addValue("requester", chain.requester().value())
            .addValue("resource", chain.resource().value())
            .addValue("policy", chain.policy())
            .addValue("at", utc(openedAt)));
    for (Stage s : chain.stages()) {
      jdbc.update(
          "insert into approval_stage (request_id, position, approver_group, quorum, remind_after, deadline, escalation_group) "
              + "values (:id, :position, :group, :quorum, :remind, :deadline, :escalation)",
          new MapSqlParameterSource("id", chain.requestId().value())
              .addValue("position", s.position())
              .addValue("group", s.approverGroup())
              .addValue("quorum", s.quorum())
              .addValue("remind", s.remindAfter().toString())
              .addValue("deadline", s.deadline().toString())
              .addValue("escalation", s.escalationGroup()));
    }
    // as a read now finds it: no stage opened, no decision, the duration the request stored
    remember(readInTransaction(), Optional.of(chain));
  }

  void addDecision(RequestId requestId, Decision d) {
    forget(requestId);
    jdbc.update(
        "insert into access_decision (request_id, stage, approver, decision, comment, duration, decided_at, on_behalf_of) "
            + "values (:id, :stage, :approver, :decision, :comment, :duration, :at, :onBehalfOf)",
        new MapSqlParameterSource("id", requestId.value())
            .addValue("stage", d.stage())
            .addValue("approver", d.approver().value())
            .addValue("decision", d.decision().name())
            .addValue("comment", d.comment())
            .addValue("duration", d.duration() == null ? null : d.duration().toString())
            .addValue("at", utc(d.at()))
            .addValue("onBehalfOf", d.onBehalfOf() == null ? null : d.onBehalfOf().value()));
  }

  /** The first opening is kept: a stage re-entered after a crash keeps its clock. */
  void markOpened(RequestId requestId, int position, Instant at) {
    int opened =
        jdbc.update(
            "update approval_stage set opened_at = :at where request_id = :id and position = :p and opened_at is null",
            new MapSqlParameterSource("id", requestId.value())
                .addValue("p", position)
                .addValue("at", utc(at)));
    ReadInTransaction read = readInTransaction();
    Chain known = read == null ? null : read.byRequest.get(requestId);
    if (known == null) {
      return;
    }
    if (opened != 1) {
      // opened before, and perhaps since this transaction read it: read again
      forget(requestId);
      return;
    }
    // this transaction holds the row now, and knows what it wrote
    List<Stage> stages = new ArrayList<>();
    for (Stage s : known.stages()) {
      stages.add(
          s.position() != position
              ? s
              : new Stage(
                  s.position(),
                  s.approverGroup(),
                  s.quorum(),
                  s.remindAfter(),
                  s.deadline(),
                  s.escalationGroup(),
                  at,
                  s.escalatedAt()));
    }
    read.byRequest.put(
        requestId,
        new Chain(
            known.requestId(),
            known.processInstanceId(),
            known.requester(),
            known.asked(),
            known.duration(),
            known.policy(),
            stages,
            known.decisions()));
  }

  /** True the first time only, so a retried reminder step reminds once. */
  boolean markEscalated(RequestId requestId, int position, Instant at) {
    forget(requestId);
    return jdbc.update(
            "update approval_stage set escalated_at = :at where request_id = :id and position = :p and escalated_at is null",
            new MapSqlParameterSource("id", requestId.value())
                .addValue("p", position)
                .addValue("at", utc(at)))
        == 1;
  }

  Optional<Chain> find(RequestId requestId) {
    ReadInTransaction read = readInTransaction();
    if (read != null && read.byRequest.containsKey(requestId)) {
      return Optional.of(read.byRequest.get(requestId));
    }
    return remember(
        read,
        load("c.request_id = :key", new MapSqlParameterSource("key", requestId.value()))
            .values()
            .stream()
            .findFirst());
  }

  Optional<Chain> findByProcessInstance(String processInstanceId) {
    if (processInstanceId == null) {
      return Optional.empty();
    }
    ReadInTransaction read = readInTransaction();
    RequestId known = read == null ? null : read.byInstance.get(processInstanceId);
    if (known != null && read.byRequest.containsKey(known)) {
      return Optional.of(read.byRequest.get(known));
    }
    return remember(
        read,
        load("c.process_instance_id = :key", new MapSqlParameterSource("key", processInstanceId))
            .values()
            .stream()
            .findFirst());
  }

  private static Optional<Chain> remember(ReadInTransaction read, Optional<Chain> chain) {
    if (read != null) {
      chain.ifPresent(
          c -> {
            read.byRequest.put(c.requestId(), c);
            read.byInstance.put(c.processInstanceId(), c.requestId());
          });
    }
    return chain;
  }

  private void forget(RequestId requestId) {
    ReadInTransaction read = readInTransaction();
    if (read != null) {
      read.byRequest.remove(requestId);
    }
  }

  /**
   * The chains read in the open transaction, bound to it as Spring binds a transaction's
   * connection: set aside while an inner transaction (REQUIRES_NEW) runs, which reads for itself,
   * and dropped when the transaction ends, committed or rolled back. None outside a transaction:
   * each read then goes to the database.
   */
  private ReadInTransaction readInTransaction() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()
        || !TransactionSynchronizationManager.isActualTransactionActive()) {
      return null;
    }
    ReadInTransaction read =
        (ReadInTransaction) TransactionSynchronizationManager.getResource(readKey);
    if (read == null) {
      ReadInTransaction bound = new ReadInTransaction();
      TransactionSynchronizationManager.bindResource(readKey, bound);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void suspend() {
              TransactionSynchronizationManager.unbindResourceIfPossible(readKey);
            }

            @Override
            public void resume() {
              TransactionSynchronizationManager.bindResource(readKey, bound);
            }

            @Override
            public void afterCompletion(int status) {
              TransactionSynchronizationManager.unbindResourceIfPossible(readKey);
            }
          });
      read = bound;
    }
    return read;
  }

  /** The chains one transaction has read, by request and by process instance. */
  private static final class ReadInTransaction {
    final Map<RequestId, Chain> byRequest = new HashMap<>();
    final Map<String, RequestId> byInstance = new HashMap<>();
  }

  Map<RequestId, Chain> findAll(Collection<RequestId> requestIds) {
    if (requestIds.isEmpty()) {
      return Map.of();
    }
    return load(
        "c.request_id in (:key)",
        new MapSqlParameterSource("key", requestIds.stream().map(RequestId::value).toList()));
  }

  /**
   * A page of the approval tasks this person may decide now, in their own right or in a delegator's
   * place, oldest first ({@link SeparationOfDuties#decidable} over the chains whose task waits),
   * with their chains.
   */
  List<DecidableTask> decidable(
      Username who,
      Collection<String> groups,
      List<SeparationOfDuties.Delegator> delegators,
      int page,
      int size) {
    MapSqlParameterSource params =
        decidableParams(who, groups, delegators)
            .addValue("limit", size)
            .addValue("offset", (long) page * size);
    List<Object[]> rows =
        jdbc.query(
            "select x.task_id, x.task_name, x.created, x.request_id, x.review_group from ("
                + decidableTasks(groups, delegators)
                + ") x order by x.created, x.task_id limit :limit offset :offset",
            params,
            (rs, n) ->
                new Object[] {
                  rs.getString(1),
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getString(4),
                  rs.getString(5)
                });
    Map<RequestId, Chain> chains =
        findAll(rows.stream().map(r -> RequestId.of((String) r[3])).toList());
    return rows.stream()
        .map(
            r ->
                new DecidableTask(
                    (String) r[0],
                    (String) r[1],
                    (Instant) r[2],
                    chains.get(RequestId.of((String) r[3])),
                    (String) r[4]))
        .toList();
  }

  /**
   * How many approval tasks this person may decide now: the total of {@link #decidable}'s pages.
   */
  long countDecidable(
      Username who, Collection<String> groups, List<SeparationOfDuties.Delegator> delegators) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from (" + decidableTasks(groups, delegators) + ") x",
            decidableParams(who, groups, delegators),
            Long.class);
    return n == null ? 0 : n;
  }

  /**
   * The approval tasks this person may decide, in their own right or a delegator's ({@link
   * SeparationOfDuties#decidable}), and the break-glass reviews offered to a group of their own,
   * never their own request's (the review's own rule is request's {@code BreakGlassReview.whyNot};
   * a group is offered the review only when it may review; a review is not delegated).
   */
  private String decidableTasks(
      Collection<String> groups, List<SeparationOfDuties.Delegator> delegators) {
    String tasks = EngineTables.of(engine.getObject(), "ACT_RU_TASK");
    String approvals =
        "select t.ID_ task_id, t.NAME_ task_name, t.CREATE_TIME_ created, c.request_id request_id, "
            + "cast(null as varchar(64)) review_group from "
            + tasks
            + " t join approval_chain c on c.process_instance_id = t.PROC_INST_ID_ "
            + "join approval_stage s on s.request_id = c.request_id where t.TASK_DEF_KEY_ = :task and "
            + SeparationOfDuties.decidable(!groups.isEmpty(), withGroups(delegators).size());
    if (groups.isEmpty()) {
      // an empty "in ()" is no SQL, and a person in no group is offered no review
      return approvals;
    }
    String links = EngineTables.of(engine.getObject(), "ACT_RU_IDENTITYLINK");
    String executions = EngineTables.of(engine.getObject(), "ACT_RU_EXECUTION");
    return approvals
        + " union all select t.ID_, t.NAME_, t.CREATE_TIME_, c.request_id, (select min(l.GROUP_ID_) from "
        + links
        + " l where l.TASK_ID_ = t.ID_ and l.TYPE_ = 'candidate' and l.GROUP_ID_ in (:groups)) from "
        + tasks
        + " t join "
        + executions
        + " e on e.ID_ = t.PROC_INST_ID_ join approval_chain c on c.request_id = e.BUSINESS_KEY_ "
        + "where t.TASK_DEF_KEY_ = :review and lower(c.requester) <> lower(:who) and exists (select 1 from "
        + links
        + " l where l.TASK_ID_ = t.ID_ and l.TYPE_ = 'candidate' and l.GROUP_ID_ in (:groups))";
  }

  private static List<SeparationOfDuties.Delegator> withGroups(
      List<SeparationOfDuties.Delegator> delegators) {
    // a delegator without groups decides nothing
    return delegators.stream().filter(d -> !d.groups().isEmpty()).toList();
  }

  private static MapSqlParameterSource decidableParams(
      Username who, Collection<String> groups, List<SeparationOfDuties.Delegator> delegators) {
    MapSqlParameterSource params =
        new MapSqlParameterSource("who", who.value())
            .addValue("groups", groups)
            .addValue("task", ApprovalProcess.TASK_APPROVE)
            .addValue("review", ApprovalProcess.TASK_REVIEW_BREAK_GLASS);
    List<SeparationOfDuties.Delegator> counted = withGroups(delegators);
    for (int i = 0; i < counted.size(); i++) {
      params
          .addValue("d" + i, counted.get(i).name().value())
          .addValue("g" + i, counted.get(i).groups());
    }
    return params;
  }

  /**
   * An approval task that waits, with the chain of its request.
   *
   * @param reviewGroup for a break-glass review, the caller's group it is offered to; null for an
   *     approval task
   */
  record DecidableTask(
      String taskId, String taskName, Instant createdAt, Chain chain, String reviewGroup) {}

  /**
   * Each query closes its result set before the next asks for a connection, so a read never holds
   * one pooled connection while it waits for another.
   */
  private Map<RequestId, Chain> load(String where, MapSqlParameterSource params) {
    Map<String, Object[]> heads = new LinkedHashMap<>();
    Map<String, List<ResourceId>> asked = new HashMap<>();
    // what was asked is the request's record (access_request.duration, its resources and bundle),
    // which approval reads, never copies; a request for one resource has no row of resources
    jdbc.query(
        "select c.request_id, c.process_instance_id, c.requester, c.resource_id, r.duration, c.policy_version, "
            + "r.bundle_id, p.resource_id from approval_chain c join access_request r on r.id = c.request_id "
            + "left join access_request_resource p on p.request_id = c.request_id where "
            + where
            + " order by c.request_id, p.position",
        params,
        (RowCallbackHandler)
            rs -> {
              heads.putIfAbsent(
                  rs.getString(1),
                  new Object[] {
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7)
                  });
              if (rs.getString(8) != null) {
                asked
                    .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(ResourceId.of(rs.getString(8)));
              }
            });
    if (heads.isEmpty()) {
      return Map.of();
    }
    MapSqlParameterSource ids = new MapSqlParameterSource("ids", heads.keySet());
    Map<String, List<Stage>> stages = new HashMap<>();
    jdbc.query(
        "select request_id, position, approver_group, quorum, remind_after, deadline, escalation_group, opened_at, escalated_at "
            + "from approval_stage where request_id in (:ids) order by request_id, position",
        ids,
        (RowCallbackHandler)
            rs ->
                stages
                    .computeIfAbsent(rs.getString("request_id"), k -> new ArrayList<>())
                    .add(
                        new Stage(
                            rs.getInt("position"),
                            rs.getString("approver_group"),
                            rs.getInt("quorum"),
                            AccessDuration.read("remind_after", rs.getString("remind_after")),
                            AccessDuration.read("deadline", rs.getString("deadline")),
                            rs.getString("escalation_group"),
                            instant(rs, "opened_at"),
                            instant(rs, "escalated_at"))));
    Map<String, List<Decision>> decisions = new HashMap<>();
    jdbc.query(
        "select request_id, stage, approver, decision, comment, duration, decided_at, on_behalf_of from access_decision "
            + "where request_id in (:ids) order by id",
        ids,
        (RowCallbackHandler)
            rs ->
                decisions
                    .computeIfAbsent(rs.getString("request_id"), k -> new ArrayList<>())
                    .add(
                        new Decision(
                            rs.getInt("stage"),
                            Username.of(rs.getString("approver")),
                            Decision.Verdict.valueOf(rs.getString("decision")),
                            rs.getString("comment"),
                            rs.getString("duration") == null
                                ? null
                                : AccessDuration.of(rs.getString("duration")),
                            instant(rs, "decided_at"),
                            rs.getString("on_behalf_of") == null
                                ? null
                                : Username.of(rs.getString("on_behalf_of")))));
    Map<RequestId, Chain> chains = new LinkedHashMap<>();
    heads.forEach(
        (id, h) ->
            chains.put(
                RequestId.of(id),
                new Chain(
                    RequestId.of(id),
                    (String) h[0],
                    Username.of((String) h[1]),
                    new AskedFor(
                        asked.getOrDefault(id, List.of(ResourceId.of((String) h[2]))),
                        (String) h[5]),
                    AccessDuration.of((String) h[3]),
                    (String) h[4],
                    stages.getOrDefault(id, List.of()),
                    decisions.getOrDefault(id, List.of()))));
    return chains;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
