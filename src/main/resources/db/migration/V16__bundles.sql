-- Bundles (issue 29, item 4): one request for several resources, decided by one chain, granted and ended
-- together. Every resource of such a request is a row here, in the order asked (position 0 is also the
-- request's own resource_id, connector and target, so a listing by resource still finds it); a request
-- for one resource has no row here. access_preexisted is the standing-access answer for that one resource.
create table access_request_resource (
    request_id        varchar(64)  not null references access_request (id),
    position          int          not null,
    resource_id       varchar(64)  not null,
    connector         varchar(64)  not null,
    target            varchar(512) not null,
    access_preexisted boolean      not null default false,
    primary key (request_id, position)
);
create index access_request_resource_access on access_request_resource (connector, target);
-- the bundle the request named; null when it named its resources
alter table access_request add column bundle_id varchar(64);
-- the resource whose grant ran out of retries: the others were revoked and the request ends FAILED
alter table access_request add column failed_resource varchar(64);
