-- Who holds each node name (portcullis.jobs.node-name, the owner of the job locks a node takes): one row per
-- name, taken by a node at start-up and renewed every few seconds with the database's clock, so that a second
-- live node given the same name refuses to start instead of releasing the first one's locks (jobs/NodeLease).
-- instance_id is random per start: a restart of the same node takes the row over once its predecessor's
-- renewals have stopped. Portable SQL: H2 2.x and PostgreSQL.
create table node_lease (
  node_name   varchar(255)  not null primary key,
  instance_id varchar(36)   not null,
  taken_at    timestamp with time zone not null,
  renewed_at  timestamp with time zone not null
);
