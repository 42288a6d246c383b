-- Approval chains (issue 15): the approval policy (processes/approval-policy.dmn) is evaluated once, when
-- a request opens; the stages it chose are stored here, so a later policy change never changes a request
-- already open. The approval module owns these tables and access_decision; the request module owns
-- access_request and, for "who may see a request", access_request_decider.

-- What approval knows of a request: written when it opens, never changed. The stage tasks run in the
-- request's process instance, and the guard finds the chain by that instance, never by a variable.
create table approval_chain (
  request_id          varchar(64)  not null primary key references access_request (id),
  process_instance_id varchar(64)  not null,
  requester           varchar(64)  not null,
  resource_id         varchar(64)  not null,
  duration            varchar(32)  not null,
  kind                varchar(16)  not null,
  policy_version      varchar(128),
  opened_at           timestamp with time zone not null
);
create unique index approval_chain_process_instance on approval_chain (process_instance_id);

-- One row per stage, in order (position 1, 2, ...). remind_after and deadline are ISO-8601 durations
-- counted from the moment the stage opens.
create table approval_stage (
  request_id       varchar(64)  not null references approval_chain (request_id),
  position         integer      not null,
  approver_group   varchar(64)  not null,
  quorum           integer      not null,
  remind_after     varchar(32)  not null,
  deadline         varchar(32)  not null,
  escalation_group varchar(64),
  opened_at        timestamp with time zone,
  escalated_at     timestamp with time zone,
  primary key (request_id, position)
);

-- An approver may approve a shorter duration than was asked; null: as asked.
alter table access_decision add column duration varchar(32);

-- The groups whose members take part in deciding a request (every stage's approvers and escalation
-- group): they may see it and revoke it. Written once, when the request opens.
create table access_request_decider (
  request_id varchar(64) not null references access_request (id),
  group_id   varchar(64) not null,
  primary key (request_id, group_id)
);
create index access_request_decider_group on access_request_decider (group_id);

-- Requests opened before chains existed keep their one stage: the group they were opened for.
insert into approval_chain (request_id, process_instance_id, requester, resource_id, duration, kind, policy_version, opened_at)
  select id, process_instance_id, requester, resource_id, duration, 'access', null, requested_at
  from access_request where process_instance_id is not null;
insert into approval_stage (request_id, position, approver_group, quorum, remind_after, deadline, escalation_group, opened_at)
  select id, 1, approver_group, 1, 'PT24H', 'PT24H', null, requested_at
  from access_request where process_instance_id is not null;
insert into access_request_decider (request_id, group_id)
  select id, approver_group from access_request;
alter table access_request alter column approver_group drop not null;
