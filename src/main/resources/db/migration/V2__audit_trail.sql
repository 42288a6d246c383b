-- The audit trail: an append-only hash chain of events, MACed, with signed checkpoints. Not engine
-- history: Camunda's history cleanup never touches these tables. Written in the same transaction as
-- the process state that an event describes. Portable SQL: runs on H2 2.x and PostgreSQL alike.
-- The algorithm (canonical line, hash, MAC, signature) is in docs/audit.md.
create table audit_event (
  seq                 bigint        not null primary key,
  event_time          timestamp with time zone not null,
  actor               varchar(256)  not null,
  action              varchar(64)   not null,
  subject             varchar(256),
  resource            varchar(256),
  request_id          varchar(256),
  process_instance_id varchar(256),
  details             varchar(8000) not null,
  prev_hash           varchar(64)   not null,
  hash                varchar(64)   not null,
  mac                 varchar(64)   not null
);
create index audit_event_time on audit_event (event_time);
create index audit_event_subject on audit_event (subject);
create index audit_event_actor on audit_event (actor);
create index audit_event_request on audit_event (request_id);

-- One row: where the chain ends. Appenders lock it (select ... for update), so events get gap-free
-- sequence numbers in commit order, across threads and nodes.
create table audit_head (
  id        integer      not null primary key,
  last_seq  bigint       not null,
  last_hash varchar(64)  not null,
  constraint audit_head_single_row check (id = 1)
);
insert into audit_head (id, last_seq, last_hash)
  values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Ed25519 signatures over (seq, hash): every portcullis.audit.checkpoint-every events, and each hour.
create table audit_checkpoint (
  seq        bigint        not null primary key,
  hash       varchar(64)   not null,
  signed_at  timestamp with time zone not null,
  key_id     varchar(64)   not null,
  signature  varchar(128)  not null
);
