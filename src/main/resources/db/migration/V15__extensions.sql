-- An extension (issue 29, item 1) is an access request of its own, decided by its own chain: extends_id names
-- the request whose live grant it extends; null for every other request. Approved, it moves that grant's end
-- (expires_at) and ends EXTENDED itself, never holding access of its own.
alter table access_request add column extends_id varchar(64);
create index access_request_extends on access_request (extends_id);
