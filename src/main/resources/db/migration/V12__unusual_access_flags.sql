-- Unusual-access flags (issue 28, item 4): computed once when a request opens (request/UnusualAccess) from
-- the person's earlier requests, and kept with the request. client_address is the address the request was
-- made from (the servlet's remote address, behind a trusted proxy the forwarded one); null for a request
-- no HTTP call opened. flags is a comma-separated list of UnusualAccess.Flag names, empty for none.
alter table access_request add column client_address varchar(64);
alter table access_request add column flags varchar(256) not null default '';
-- The flags' questions are per person: their earlier requests in a time window, for a resource, from an
-- address. Each is an index range of one person's rows, never a scan of everyone's history.
create index access_request_requester_time on access_request (requester, requested_at);
create index access_request_requester_resource on access_request (requester, resource_id);
create index access_request_requester_address on access_request (requester, client_address);
