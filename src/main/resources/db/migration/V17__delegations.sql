-- Delegation (issue 29, item 5): an approver's decisions handed to a named person for a period. The
-- delegate decides in the delegator's place while valid_from <= now < valid_until and the delegation is not
-- ended; it never chains (only the delegator's own groups pass, never what was delegated to them). The
-- approval module owns this table.
create table approval_delegation (
  id          varchar(64)   not null primary key,
  delegator   varchar(64)   not null,
  delegate    varchar(64)   not null,
  valid_from  timestamp with time zone not null,
  valid_until timestamp with time zone not null,
  reason      varchar(1000) not null,
  created_at  timestamp with time zone not null,
  ended_at    timestamp with time zone,
  ended_by    varchar(64)
);
create index approval_delegation_delegate on approval_delegation (delegate);
create index approval_delegation_delegator on approval_delegation (delegator);

-- A delegate's decision names both: approver (who decided) and on_behalf_of (whose approval it was);
-- null for a decision in one's own right.
alter table access_decision add column on_behalf_of varchar(64);

-- The instance of processes/delegation.bpmn that keeps Tasklist's listing in step with the delegation's time;
-- its steps find their delegation by it, never by a variable.
alter table approval_delegation add column process_instance_id varchar(64);
create unique index approval_delegation_process_instance on approval_delegation (process_instance_id);
