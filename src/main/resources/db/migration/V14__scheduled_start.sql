-- A scheduled start (issue 29, item 2): when the access is to start, as the requester asked, written once
-- when the request opens; null for a request granted on approval. Between the approval and the start the
-- request is SCHEDULED (status is free text, varchar(16): no constraint to widen). The approved duration
-- counts from start_at, so the access ends at start_at + the approved duration, never later.
alter table access_request add column start_at timestamp with time zone;
