-- Indexes for Portcullis' own queries on the request path (issue 14), so that none of them scans a
-- table that grows with every request ever made.
-- (The look-up by process instance, one per step, has its unique index in V3__instance_binding.)
-- The list endpoint pages newest first; without this, each page sorts every visible row.
create index access_request_requested_at on access_request (requested_at);
