-- A process step finds its request by the process instance it runs in (DESIGN rule 11), never by a
-- variable: the instance that opened the request, or an owed-revoke instance that Portcullis started for it.
create unique index access_request_process_instance on access_request (process_instance_id);

create table access_revocation (
  process_instance_id varchar(64) not null primary key,
  request_id          varchar(64) not null references access_request (id)
);
create index access_revocation_request on access_revocation (request_id);

-- Who asked to end a request, and why (a deny, a cancel, a revoke, an operator's delete): written by
-- Portcullis when the end is asked for, read by the step that ends it, so no variable decides it.
alter table access_request add column end_requested_by varchar(64);
alter table access_request add column end_requested_reason varchar(4000);
