-- The audit trail against a stolen runtime password (README, "Running in production": two database roles).
-- The migration role (spring.flyway.user) owns Portcullis' tables; the role the nodes run as may append and
-- seal events, never delete them or change a sealed one (afterMigrate__runtime_role.sql grants exactly that).
-- PostgreSQL only: H2 has no roles to separate (db/vendor/h2 has the same version, empty).

-- A sealed event stays as it was sealed: neither changed nor deleted, but by the owner of the trail (the
-- migration role: it could drop this trigger anyway) or by a function it owns (audit_prune, below). The
-- sealer's own updates touch only unsealed rows (seq is null), so they never call the check.
create function audit_event_sealed_rows_stay() returns trigger
  language plpgsql as $$
begin
  if not pg_has_role((select c.relowner from pg_class c where c.oid = tg_relid), 'MEMBER') then
    raise exception 'audit event % is sealed: it cannot be changed or deleted', old.seq using errcode = 'insufficient_privilege';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;
create trigger audit_event_sealed_rows_stay before update or delete on audit_event
  for each row when (old.seq is not null) execute function audit_event_sealed_rows_stay();

-- How old an event must be before it may be pruned: the database's own copy of portcullis.audit.retention,
-- written by the migration role at each start (afterMigrate__runtime_role.sql); null keeps every event.
create table audit_retention (
  id       integer  not null primary key,
  keep_for interval,
  constraint audit_retention_single_row check (id = 1)
);
insert into audit_retention (id, keep_for) values (1, null);

-- Retention's only way to delete (audit/AuditRetention): through a signed checkpoint, and only events older
-- than the retention by the database's clock; returns how many events went, or -1 when that is not allowed.
-- It runs with its owner's rights (security definer), so the runtime role needs no DELETE on the trail.
create function audit_prune(through_seq bigint) returns integer
  language plpgsql security definer set search_path from current as $$
declare
  keep interval;
  newest timestamptz;
  deleted integer;
begin
  select keep_for into keep from audit_retention where id = 1;
  if keep is null or not exists (select 1 from audit_checkpoint where seq = through_seq) then
    return -1;
  end if;
  select max(event_time) into newest from audit_event where seq <= through_seq;
  if newest is not null and newest >= current_timestamp - keep then
    return -1;
  end if;
  delete from audit_event where seq <= through_seq;
  get diagnostics deleted = row_count;
  delete from audit_checkpoint where seq < through_seq;
  return deleted;
end
$$;
revoke all on function audit_prune(bigint) from public;
