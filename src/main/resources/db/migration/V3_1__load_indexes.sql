-- Indexes for Portcullis' own queries on the request path (issue 14), so that none of them scans a
-- table that grows with every request ever made.
-- Every process step finds its request by the instance it runs in (DESIGN rule 11): one look-up per
-- step, on a column that had no index.
create index access_request_process_instance on access_request (process_instance_id);
-- The list endpoint pages newest first; without this, each page sorts every visible row.
create index access_request_requested_at on access_request (requested_at);
