-- One open campaign per resource (issue 30, item 3), held by the database: two admins who start a review
-- of one resource at the same instant both found none open and both inserted one. open_resource is the
-- resource while the campaign is OPEN and null once it is closed; its unique index refuses the second
-- (H2 and PostgreSQL let many rows be null). An open campaign left over from that race keeps the
-- newest.
alter table access_review add column open_resource varchar(64);
update access_review set open_resource = resource_id
  where status = 'OPEN'
    and started_at = (select max(r.started_at) from access_review r
                      where r.resource_id = access_review.resource_id and r.status = 'OPEN');
create unique index access_review_open on access_review (open_resource);
