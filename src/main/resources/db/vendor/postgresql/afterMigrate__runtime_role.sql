-- After every migration, as the migration role (spring.flyway.user): the runtime role (spring.datasource.
-- username) gets what the nodes need on the tables this role owns, and on the audit trail only what appending
-- and sealing need (README, "Running in production": two database roles). With one role for both (no
-- spring.flyway.user), it owns everything and nothing is granted. ${runtime_role} and
-- ${audit_retention_seconds} come from operations/DatabaseRoles.

update audit_retention set keep_for = ${audit_retention_seconds} * interval '1 second' where id = 1;

do $$
declare
  runtime text := '${runtime_role}';
  t record;
begin
  if runtime = '' or runtime = current_user then
    return;
  end if;
  execute format('grant usage on schema %I to %I', current_schema(), runtime);
  for t in select tablename from pg_tables where schemaname = current_schema() and tableowner = current_user loop
    execute format('grant select, insert, update, delete on %I to %I', t.tablename, runtime);
  end loop;
  for t in select sequencename from pg_sequences where schemaname = current_schema() and sequenceowner = current_user loop
    execute format('grant usage, select on sequence %I to %I', t.sequencename, runtime);
  end loop;
  -- the trail: events appended (their content only) and sealed, checkpoints added, nothing deleted or rewritten
  execute format('revoke insert, update, delete, truncate on audit_event from %I', runtime);
  execute format('grant insert (event_time, actor, action, subject, resource, request_id, process_instance_id, details) '
    || 'on audit_event to %I', runtime);
  execute format('grant update (entry_mac, seq, prev_hash, hash, mac) on audit_event to %I', runtime);
  execute format('revoke update, delete, truncate on audit_checkpoint from %I', runtime);
  execute format('revoke insert, delete, truncate on audit_head from %I', runtime);
  execute format('revoke insert, update, delete, truncate on audit_retention from %I', runtime);
  execute format('revoke all on flyway_schema_history from %I', runtime);
  execute format('grant execute on function audit_prune(bigint) to %I', runtime);
end
$$;
