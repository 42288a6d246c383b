package io.portcullis.request;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The access-request read model. Every write joins the transaction that is open (the engine's, when
 * called from a process step), so the row and the process state commit or roll back together.
 */
@Repository
public class AccessRequestRepository {

  private static final String COLUMNS =
      "id, process_instance_id, requester, resource_id, connector, target, "
          + "duration, justification, ticket, status, requested_at, granted_at, expires_at, ended_at, ended_by, end_reason, access_preexisted, "
          + "grant_attempted_at, client_address, flags, start_at, extends_id, bundle_id, failed_resource";

  /**
   * Whether a request's row gives the access (:connectorN, :targetN): its own resource, or one of
   * the resources of a request for several (V16).
   */
  private static String gives(int n) {
    return "((connector = :connector"
        + n
        + " and target = :target"
        + n
        + ") or exists (select 1 from access_request_resource p where p.request_id = access_request.id "
        + "and p.connector = :connector"
        + n
        + " and p.target = :target"
        + n
        + "))";
  }

  private static MapSqlParameterSource access(
      MapSqlParameterSource params, int n, AccessRequest r) {
    return params
        .addValue("connector" + n, r.connector().value())
        .addValue("target" + n, r.target().value());
  }

  /** The rows of {@code request_queue_lock}, as the migration V9_1 made them. */
  static final int QUEUE_BUCKETS = 64;

  private final NamedParameterJdbcTemplate jdbc;

  public AccessRequestRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(AccessRequest r) {
    jdbc.update(
        "insert into access_request ("
            + COLUMNS
            + ") values (:id, :pi, :requester, :resource, :connector, :target, "
            + ":duration, :justification, :ticket, :status, :requestedAt, null, null, null, null, null, false, null, :address, :flags, :startAt, :extendsId, :bundle, null)",
        new MapSqlParameterSource()
            .addValue("id", r.id().value())
            .addValue("pi", r.processInstanceId())
            .addValue("requester", r.requester().value())
            .addValue("resource", r.resource().value())
            .addValue("connector", r.connector().value())
            .addValue("target", r.target().value())
            .addValue("duration", r.duration().toString())
            .addValue("justification", r.justification())
            .addValue("ticket", r.ticket())
            .addValue("status", r.status().name())
            .addValue("requestedAt", utc(r.requestedAt()))
            .addValue("address", r.clientAddress())
            .addValue("flags", UnusualAccess.Flag.store(r.flags()))
            .addValue("startAt", utc(r.startAt()))
            .addValue("extendsId", r.extendsId() == null ? null : r.extendsId().value())
            .addValue("bundle", r.bundle()));
  }

  /**
   * Records the resources of a request for several, in the order asked (V16); a request for one
   * records none.
   */
  public void insertParts(RequestId id, List<Part> parts) {
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      jdbc.update(
          "insert into access_request_resource (request_id, position, resource_id, connector, target) "
              + "values (:id, :position, :resource, :connector, :target)",
          new MapSqlParameterSource("id", id.value())
              .addValue("position", i)
              .addValue("resource", part.resource().value())
              .addValue("connector", part.connector().value())
              .addValue("target", part.target().value()));
    }
  }

  /**
   * The request as it concerns each of its resources ({@link AccessRequest#part}), in the order
   * asked: the request itself when it asked for one.
   */
  public List<AccessRequest> partsOf(AccessRequest r) {
    List<AccessRequest> parts =
        jdbc.query(
            "select resource_id, connector, target, access_preexisted from access_request_resource "
                + "where request_id = :id order by position",
            new MapSqlParameterSource("id", r.id().value()),
            (rs, n) ->
                r.part(
                    ResourceId.of(rs.getString(1)),
                    ConnectorName.of(rs.getString(2)),
                    Target.of(rs.getString(3)),
                    rs.getBoolean(4)));
    return parts.isEmpty() ? List.of(r) : parts;
  }

  /**
   * The resources of the requests for several among these, in the order asked; a request for one is
   * left out (its resource is its own).
   */
  public Map<RequestId, List<ResourceId>> resourcesOf(Collection<RequestId> ids) {
    Map<RequestId, List<ResourceId>> several = new HashMap<>();
    if (ids.isEmpty()) {
      return several;
    }
    jdbc.query(
        "select request_id, resource_id from access_request_resource where request_id in (:ids) "
            + "order by request_id, position",
        new MapSqlParameterSource("ids", ids.stream().map(RequestId::value).toList()),
        rs -> {
          several
              .computeIfAbsent(RequestId.of(rs.getString(1)), k -> new ArrayList<>())
              .add(ResourceId.of(rs.getString(2)));
        });
    return several;
  }

  /** Records the standing-access answer of one resource of a request for several. */
  public void recordPartPreexisting(AccessRequest part, boolean preexisted) {
    jdbc.update(
        "update access_request_resource set access_preexisted = :p "
            + "where request_id = :id and resource_id = :resource",
        new MapSqlParameterSource("id", part.id().value())
            .addValue("resource", part.resource().value())
            .addValue("p", preexisted));
  }

  /**
   * Records the resource whose grant ran out of retries (the first such only): the request ends
   * FAILED through the revoke of the others.
   */
  public void recordFailedResource(RequestId id, ResourceId resource) {
    jdbc.update(
        "update access_request set failed_resource = :resource where id = :id and failed_resource is null",
        new MapSqlParameterSource("id", id.value()).addValue("resource", resource.value()));
  }

  public Optional<AccessRequest> find(RequestId id) {
    return jdbc
        .query(
            "select " + COLUMNS + " from access_request where id = :id",
            new MapSqlParameterSource("id", id.value()),
            AccessRequestRepository::row)
        .stream()
        .findFirst();
  }

  /**
   * Records the groups that take part in deciding the request (approval's chain): they may see it.
   */
  public void insertDeciders(RequestId id, Collection<String> groups) {
    for (String group : groups) {
      jdbc.update(
          "insert into access_request_decider (request_id, group_id) values (:id, :group)",
          new MapSqlParameterSource("id", id.value()).addValue("group", group));
    }
  }

  /** The groups that take part in deciding the request. */
  public List<String> decidersOf(RequestId id) {
    return jdbc.queryForList(
        "select group_id from access_request_decider where request_id = :id order by group_id",
        new MapSqlParameterSource("id", id.value()),
        String.class);
  }

  /**
   * The request that a process instance works for: the instance that opened it, or an owed-revoke
   * instance that Portcullis bound to it. Empty for an instance that did not open through
   * Portcullis.
   */
  public Optional<AccessRequest> findByProcessInstance(String processInstanceId) {
    if (processInstanceId == null) {
      return Optional.empty();
    }
    List<String> ids =
        jdbc.queryForList(
            "select id from access_request where process_instance_id = :pi "
                + "union select request_id from access_revocation where process_instance_id = :pi",
            new MapSqlParameterSource("pi", processInstanceId),
            String.class);
    return ids.size() == 1 ? find(RequestId.of(ids.get(0))) : Optional.empty();
  }

  /** Binds an owed-revoke instance that Portcullis started to the request whose access it ends. */
  public void bindRevocation(String processInstanceId, RequestId requestId) {
    jdbc.update(
        "insert into access_revocation (process_instance_id, request_id) values (:pi, :id)",
        new MapSqlParameterSource("pi", processInstanceId).addValue("id", requestId.value()));
  }

  /**
   * Records who asked to end the request and why, unless someone asked first: the first ask is the
   * one the request ends for.
   */
  public void requestEnd(RequestId id, String by, String reason) {
    jdbc.update(
        "update access_request set end_requested_by = :by, end_requested_reason = :reason "
            + "where id = :id and end_requested_by is null",
        new MapSqlParameterSource("id", id.value()).addValue("by", by).addValue("reason", reason));
  }

  /** Who asked to end the request and why; empty while nobody has. */
  public Optional<EndRequest> endRequestOf(RequestId id) {
    return jdbc
        .query(
            "select end_requested_by, end_requested_reason from access_request where id = :id and end_requested_by is not null",
            new MapSqlParameterSource("id", id.value()),
            (rs, n) -> new EndRequest(rs.getString(1), rs.getString(2)))
        .stream()
        .findFirst();
  }

  /**
   * Records whether the person held the access before Portcullis granted it. Only the first answer
   * is kept, and it is committed (the check is a step of its own) before any grant is attempted: a
   * check that runs again after the grant reached the target (an operator moving a token back to
   * it, a retry) would see Portcullis' own grant as standing access, and the expiry would then
   * leave it behind.
   */
  public void recordPreexistingAccess(RequestId id, boolean preexisted) {
    jdbc.update(
        "update access_request set access_preexisted = :p, standing_access_checked_at = :at "
            + "where id = :id and standing_access_checked_at is null",
        new MapSqlParameterSource("id", id.value())
            .addValue("p", preexisted)
            .addValue("at", utc(RequestLifecycle.now())));
  }

  /**
   * Whether the standing-access check has answered for this request: no grant is attempted before
   * it has.
   */
  public boolean standingAccessChecked(RequestId id) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from access_request where id = :id and standing_access_checked_at is not null",
            new MapSqlParameterSource("id", id.value()),
            Integer.class);
    return n != null && n > 0;
  }

  /**
   * Starts the access clock of a request whose grant is about to be attempted for the first time:
   * from now on the target may hold the access (docs/architecture.md, rule 13), and it ends at
   * {@code expiresAt}, the approved duration counted from now. Only the first start counts: a step
   * that runs again (a retry, an operator moving the token back) keeps the first, so the access
   * never lasts longer than approved.
   *
   * @return whether this call started it
   */
  public boolean startGrantClock(RequestId id, Instant at, Instant expiresAt) {
    // expires_at, not grant_attempted_at: a request that the migration to this column found between
    // its check and its grant has an attempt on record and no expiry yet
    return jdbc.update(
            "update access_request set grant_attempted_at = :at, expires_at = :e "
                + "where id = :id and expires_at is null and status in ('PENDING', 'FAILED') and ended_at is null",
            new MapSqlParameterSource("id", id.value())
                .addValue("at", utc(at))
                .addValue("e", utc(expiresAt)))
        == 1;
  }

  /**
   * PENDING to ACTIVE, ending at the expiry its clock set; false when the request was not pending.
   */
  public boolean markActive(RequestId id, Instant grantedAt, Instant expiresAt) {
    return jdbc.update(
            "update access_request set status = 'ACTIVE', granted_at = :g, expires_at = :e "
                + "where id = :id and status in ('PENDING', 'FAILED') and ended_at is null",
            new MapSqlParameterSource("id", id.value())
                .addValue("g", utc(grantedAt))
                .addValue("e", utc(expiresAt)))
        == 1;
  }

  /**
   * Moves a live grant's end from {@code from} to {@code to}; false when it is no longer ACTIVE or
   * its end is no longer {@code from} (it ended, or another extension moved it first).
   */
  public boolean moveEnd(RequestId id, Instant from, Instant to) {
    return jdbc.update(
            "update access_request set expires_at = :to "
                + "where id = :id and status = 'ACTIVE' and expires_at = :from",
            new MapSqlParameterSource("id", id.value())
                .addValue("from", utc(from))
                .addValue("to", utc(to)))
        == 1;
  }

  /** The extensions of this request that wait for their decision. */
  public List<AccessRequest> openExtensionsOf(RequestId id) {
    return jdbc.query(
        "select " + COLUMNS + " from access_request where extends_id = :id and status = 'PENDING'",
        new MapSqlParameterSource("id", id.value()),
        AccessRequestRepository::row);
  }

  /** Whether an extension of this request waits for its decision. */
  public boolean openExtensionOf(RequestId id) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from access_request where extends_id = :id and status = 'PENDING'",
            new MapSqlParameterSource("id", id.value()),
            Integer.class);
    return n != null && n > 0;
  }

  /** Moves a request to a final status; false when it was not in one of the expected statuses. */
  public boolean markEnded(
      RequestId id,
      Collection<RequestStatus> from,
      RequestStatus to,
      Instant at,
      String by,
      String reason) {
    return jdbc.update(
            "update access_request set status = :to, ended_at = :at, ended_by = :by, end_reason = :reason "
                + "where id = :id and status in (:from) and ended_at is null",
            new MapSqlParameterSource("id", id.value())
                .addValue("to", to.name())
                .addValue("at", utc(at))
                .addValue("by", by)
                .addValue("reason", reason)
                .addValue("from", from.stream().map(Enum::name).toList()))
        == 1;
  }

  public void markStatus(RequestId id, RequestStatus from, RequestStatus to) {
    jdbc.update(
        "update access_request set status = :to where id = :id and status = :from and ended_at is null",
        new MapSqlParameterSource("id", id.value())
            .addValue("from", from.name())
            .addValue("to", to.name()));
  }

  /**
   * Serializes the steps that grant, check or revoke one person's access to one target, until the
   * transaction ends: without it, two grants ending at once could each see the other still live and
   * both leave the access in place, or a check could mistake a grant being made for standing access
   * (a grant whose transaction died after its write is covered by {@link
   * #anotherLiveRequestFoundNothing}). The live requests for the same access (only they can race)
   * and this one are locked, in id order so that two steps cannot deadlock; ended requests are left
   * alone, so the lock does not grow with history.
   */
  public void lockAccessOf(AccessRequest r) {
    List<AccessRequest> parts = partsOf(r);
    MapSqlParameterSource params =
        new MapSqlParameterSource("requester", r.requester().value())
            .addValue("id", r.id().value());
    List<String> any = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      any.add(gives(i));
      access(params, i, parts.get(i));
    }
    // every access of a request for several at once, in one id order: two such requests never
    // lock one another's accesses in opposite orders
    jdbc.queryForList(
        "select id from access_request where requester = :requester and ("
            + String.join(" or ", any)
            + ") and ((status in ('PENDING', 'FAILED', 'ACTIVE') and ended_at is null) or id = :id) order by id for update",
        params,
        String.class);
  }

  /**
   * The other ACTIVE grants of exactly this one resource's access whose end is between {@code from}
   * and {@code to}, that nobody asked to end, of access that did not predate them: those an expiry
   * may revoke with this one ({@link ExpiriesTogether}). Each is locked until the transaction ends;
   * one that another transaction holds is skipped, never waited for.
   */
  public List<AccessRequest> endedTogetherWith(
      AccessRequest r, Instant from, Instant to, int limit) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from access_request where connector = :connector and target = :target and id <> :id "
            + "and status = 'ACTIVE' and ended_at is null and end_requested_by is null "
            + "and access_preexisted = false and failed_resource is null "
            + "and expires_at >= :from and expires_at <= :to "
            + "and not exists (select 1 from access_request_resource p where p.request_id = access_request.id) "
            + "order by id fetch first :limit rows only for update skip locked",
        new MapSqlParameterSource("id", r.id().value())
            .addValue("connector", r.connector().value())
            .addValue("target", r.target().value())
            .addValue("from", utc(from))
            .addValue("to", utc(to))
            .addValue("limit", limit),
        AccessRequestRepository::row);
  }

  /**
   * Whether another live grant of Portcullis gives the same person the same access: then ending
   * this one must not take the access away.
   */
  public boolean anotherGrantNeeds(AccessRequest r) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from access_request where requester = :requester and "
                + gives(0)
                + " and status = 'ACTIVE' and id <> :id",
            access(
                new MapSqlParameterSource("id", r.id().value())
                    .addValue("requester", r.requester().value()),
                0,
                r),
            Integer.class);
    return n != null && n > 0;
  }

  /**
   * Whether another live request for the same access (pending, failed or active) had its own
   * standing-access check find that the person held nothing. Then whatever the person holds now is,
   * or may be, that request's grant, and so Portcullis' to remove: committed, or written to the
   * target by a grant step whose commit was lost (its node died between the write and the commit;
   * the lock of {@link #lockAccessOf} ends with that transaction, and the request is still
   * PENDING). The lost grant runs again, idempotently, and its request becomes ACTIVE later. Asked
   * under that lock.
   */
  public boolean anotherLiveRequestFoundNothing(AccessRequest r) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from access_request where requester = :requester "
                + "and status in ('PENDING', 'FAILED', 'ACTIVE') and ended_at is null and standing_access_checked_at is not null and id <> :id "
                + "and ((connector = :connector0 and target = :target0 and access_preexisted = false and not exists "
                + "(select 1 from access_request_resource p where p.request_id = access_request.id)) "
                + "or exists (select 1 from access_request_resource p where p.request_id = access_request.id "
                + "and p.connector = :connector0 and p.target = :target0 and p.access_preexisted = false))",
            access(
                new MapSqlParameterSource("id", r.id().value())
                    .addValue("requester", r.requester().value()),
                0,
                r),
            Integer.class);
    return n != null && n > 0;
  }

  /**
   * Locks this person's queue of requests until the transaction ends: the row of their bucket in
   * {@code request_queue_lock} (a name's hash picks one of 64 rows made by the migration, so a
   * person's first request has a row to lock too). Two openings for one person, on any node, run
   * one after the other; the second counts the first.
   */
  public void lockQueueOf(Username requester) {
    lockPeople(List.of(requester));
  }

  /**
   * Locks these people's buckets of {@code request_queue_lock} (as {@link #lockQueueOf}) until the
   * transaction ends, in bucket order, so that two callers locking several people at once cannot
   * deadlock. The lock of a person, row or no row: what a grant's first steps take before they lock
   * the request, and what a drift sweep takes before it asks whether it may remove someone.
   */
  public void lockPeople(Collection<Username> people) {
    List<Integer> buckets =
        people.stream()
            .map(p -> Math.floorMod(p.value().hashCode(), QUEUE_BUCKETS))
            .distinct()
            .sorted()
            .toList();
    if (buckets.isEmpty()) {
      return;
    }
    jdbc.queryForList(
        "select bucket from request_queue_lock where bucket in (:buckets) order by bucket for update",
        new MapSqlParameterSource("buckets", buckets),
        Integer.class);
  }

  /**
   * How many requests of this person wait ({@code PENDING}), for this resource or, with null, for
   * any.
   */
  public long countPending(Username requester, ResourceId resource) {
    MapSqlParameterSource params =
        new MapSqlParameterSource("requester", requester.value())
            .addValue("resource", resource == null ? null : resource.value());
    Long n =
        jdbc.queryForObject(
            "select count(*) from access_request where requester = :requester and status = 'PENDING'"
                + (resource == null ? "" : " and resource_id = :resource"),
            params,
            Long.class);
    return n == null ? 0 : n;
  }

  /**
   * Whether this person asked for this resource before, in any status (an unusual-access flag's
   * question).
   */
  public boolean askedBefore(Username requester, ResourceId resource) {
    return exists(
        "select 1 from access_request where requester = :requester and resource_id = :resource",
        new MapSqlParameterSource("requester", requester.value())
            .addValue("resource", resource.value()));
  }

  /** When this person's latest requests were made, newest first, at most {@code limit}. */
  public List<Instant> latestRequestTimes(Username requester, int limit) {
    return jdbc.query(
        "select requested_at from access_request where requester = :requester order by requested_at desc limit :limit",
        new MapSqlParameterSource("requester", requester.value()).addValue("limit", limit),
        (rs, n) -> instant(rs, "requested_at"));
  }

  /** How many requests this person made from {@code since} on, in any status. */
  public long countSince(Username requester, Instant since) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from access_request where requester = :requester and requested_at >= :since",
            new MapSqlParameterSource("requester", requester.value()).addValue("since", utc(since)),
            Long.class);
    return n == null ? 0 : n;
  }

  /** Whether any earlier request of this person has a client address on record. */
  public boolean hasAddresses(Username requester) {
    return exists(
        "select 1 from access_request where requester = :requester and client_address is not null",
        new MapSqlParameterSource("requester", requester.value()));
  }

  /** Whether an earlier request of this person came from this client address. */
  public boolean askedFrom(Username requester, String clientAddress) {
    return exists(
        "select 1 from access_request where requester = :requester and client_address = :address",
        new MapSqlParameterSource("requester", requester.value())
            .addValue("address", clientAddress));
  }

  private boolean exists(String query, MapSqlParameterSource params) {
    return !jdbc.queryForList(query + " fetch first 1 rows only", params, Integer.class).isEmpty();
  }

  /**
   * A person's grants that may be live: ACTIVE, or attempted and not confirmed (PENDING or FAILED
   * with a grant attempt on record), oldest first. With {@code lock}, each row is locked until the
   * transaction ends.
   */
  public List<AccessRequest> liveGrantsOf(Username requester, boolean lock) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from access_request where requester = :requester and (status = 'ACTIVE' "
            + "or (status in ('PENDING', 'FAILED') and grant_attempted_at is not null and ended_at is null)) "
            + (lock ? "order by id for update" : "order by requested_at, id"),
        new MapSqlParameterSource("requester", requester.value()),
        AccessRequestRepository::row);
  }

  /**
   * Every grant through one connector that may be live (as {@link #liveGrantsOf}), whoever holds
   * it: what a drift sweep counts as sanctioned.
   */
  public List<AccessRequest> liveGrantsOn(ConnectorName connector) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from access_request where (connector = :connector or exists (select 1 from access_request_resource p "
            + "where p.request_id = access_request.id and p.connector = :connector)) and (status = 'ACTIVE' "
            + "or (status in ('PENDING', 'FAILED') and grant_attempted_at is not null and ended_at is null)) "
            + "order by requested_at, id",
        new MapSqlParameterSource("connector", connector.value()),
        AccessRequestRepository::row);
  }

  /**
   * A person's requests that may still lead to a grant and have not been attempted (SCHEDULED ones
   * too): nothing of them reached a target.
   */
  public List<AccessRequest> unattemptedOf(Username requester) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from access_request where requester = :requester "
            + "and status in ('PENDING', 'SCHEDULED', 'FAILED') and grant_attempted_at is null and ended_at is null order by requested_at, id",
        new MapSqlParameterSource("requester", requester.value()),
        AccessRequestRepository::row);
  }

  /** A person's requests in these statuses, oldest first. */
  public List<AccessRequest> ofRequester(Username requester, Collection<RequestStatus> statuses) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from access_request where requester = :requester and status in (:statuses) "
            + "order by requested_at, id",
        new MapSqlParameterSource("requester", requester.value())
            .addValue("statuses", statuses.stream().map(Enum::name).toList()),
        AccessRequestRepository::row);
  }

  /**
   * A page of requests matching the filter, newest first; {@code visibleTo} null means everything.
   */
  public List<AccessRequest> list(RequestFilter filter, Visibility visibleTo, int page, int size) {
    MapSqlParameterSource params = new MapSqlParameterSource();
    String where = where(filter, visibleTo, params);
    params.addValue("limit", size).addValue("offset", (long) page * size);
    return jdbc.query(
        "select "
            + COLUMNS
            + " from access_request"
            + where
            + " order by requested_at desc, id limit :limit offset :offset",
        params,
        AccessRequestRepository::row);
  }

  /** Whether one person may see this request: the listing's rule, for one id. */
  public boolean visible(RequestId id, Visibility visibleTo) {
    MapSqlParameterSource params = new MapSqlParameterSource("id", id.value());
    Long n =
        jdbc.queryForObject(
            "select count(*) from access_request"
                + where(new RequestFilter(null, null, null), visibleTo, params)
                + " and id = :id",
            params,
            Long.class);
    return n != null && n > 0;
  }

  public long count(RequestFilter filter, Visibility visibleTo) {
    MapSqlParameterSource params = new MapSqlParameterSource();
    Long n =
        jdbc.queryForObject(
            "select count(*) from access_request" + where(filter, visibleTo, params),
            params,
            Long.class);
    return n == null ? 0 : n;
  }

  private static String where(
      RequestFilter filter, Visibility visibleTo, MapSqlParameterSource params) {
    List<String> clauses = new ArrayList<>();
    if (filter.status() != null) {
      clauses.add("status = :status");
      params.addValue("status", filter.status().name());
    }
    if (filter.requester() != null) {
      clauses.add("requester = :requester");
      params.addValue("requester", filter.requester().value());
    }
    if (filter.resource() != null) {
      clauses.add("resource_id = :resource");
      params.addValue("resource", filter.resource().value());
    }
    if (visibleTo != null) {
      if (visibleTo.groups().isEmpty()) {
        clauses.add("requester = :me");
      } else {
        clauses.add(
            "(requester = :me or exists (select 1 from access_request_decider d where d.request_id = access_request.id "
                + "and d.group_id in (:myGroups)))");
        params.addValue("myGroups", visibleTo.groups());
      }
      params.addValue("me", visibleTo.username().value());
    }
    return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
  }

  /** The edge where the row's text becomes the request's typed values. */
  private static AccessRequest row(ResultSet rs, int n) throws SQLException {
    return AccessRequest.builder()
        .id(RequestId.of(rs.getString("id")))
        .processInstanceId(rs.getString("process_instance_id"))
        .requester(Username.of(rs.getString("requester")))
        .access(
            ResourceId.of(rs.getString("resource_id")),
            ConnectorName.of(rs.getString("connector")),
            Target.of(rs.getString("target")))
        .duration(AccessDuration.of(rs.getString("duration")))
        .justification(rs.getString("justification"))
        .ticket(rs.getString("ticket"))
        .status(RequestStatus.valueOf(rs.getString("status")))
        .requestedAt(instant(rs, "requested_at"))
        .grantedAt(instant(rs, "granted_at"))
        .expiresAt(instant(rs, "expires_at"))
        .ended(instant(rs, "ended_at"), rs.getString("ended_by"), rs.getString("end_reason"))
        .accessPreexisted(rs.getBoolean("access_preexisted"))
        .grantAttemptedAt(instant(rs, "grant_attempted_at"))
        .clientAddress(rs.getString("client_address"))
        .flags(UnusualAccess.Flag.read(rs.getString("flags")))
        .startAt(instant(rs, "start_at"))
        .extendsId(
            rs.getString("extends_id") == null ? null : RequestId.of(rs.getString("extends_id")))
        .bundle(rs.getString("bundle_id"))
        .failedResource(
            rs.getString("failed_resource") == null
                ? null
                : ResourceId.of(rs.getString("failed_resource")))
        .build();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** One resource of a request for several: the access that grants it. */
  public record Part(ResourceId resource, ConnectorName connector, Target target) {}

  /** Someone asked for the request to end: a deny, a cancel, a revoke or an operator's delete. */
  public record EndRequest(String by, String reason) {}

  /** Filters of the list endpoint; null means any. */
  public record RequestFilter(RequestStatus status, Username requester, ResourceId resource) {}

  /**
   * Restricts a listing to what one person may see: their own requests and those their groups take
   * part in deciding.
   */
  public record Visibility(Username username, Collection<String> groups) {}
}
