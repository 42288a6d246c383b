-- The drift sweep's reports (issue 30, item 2): one row per sweep (processes/drift-sweep.bpmn, bound by
-- process_instance_id), whether the timer or an admin started it; per resource, how many holders its
-- connector listed or why it could not be read; per finding, the person and what the sweep did. The drift
-- module owns these tables. (V18: the lead renumbers when the branches merge.)

create table drift_sweep (
  id                  varchar(36)   not null primary key,
  process_instance_id varchar(64)   not null,
  -- the admin who asked, or drift-sweep for the timer
  started_by          varchar(64)   not null,
  started_at          timestamp with time zone not null,
  finished_at         timestamp with time zone,
  -- 1 while the sweep runs, null once it finished: unique, so one sweep runs at a time however many
  -- starts race (both databases let many rows be null)
  running             integer
);
create unique index drift_sweep_instance on drift_sweep (process_instance_id);
create unique index drift_sweep_running on drift_sweep (running);
create index drift_sweep_started on drift_sweep (started_at);

create table drift_sweep_resource (
  sweep_id    varchar(36)   not null,
  resource_id varchar(100)  not null,
  swept_at    timestamp with time zone not null,
  -- how many holders the connector listed; null when it could not be read
  holders     integer,
  -- why the connector could not be read on the last attempt (reported, not fatal)
  unreadable  varchar(1000),
  primary key (sweep_id, resource_id),
  foreign key (sweep_id) references drift_sweep (id)
);

create table drift_finding (
  sweep_id    varchar(36)   not null,
  resource_id varchar(100)  not null,
  person      varchar(64)   not null,
  -- reported, removed, kept-because-granted or removal-failed
  action      varchar(32)   not null,
  detail      varchar(1000),
  primary key (sweep_id, resource_id, person),
  foreign key (sweep_id) references drift_sweep (id)
);
