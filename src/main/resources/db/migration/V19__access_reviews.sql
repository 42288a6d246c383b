-- Access reviews (issue 30, item 3): a campaign per resource lists the holders of its standing access, and
-- its owner group keeps or removes each. access_review is the campaign (its owner group and what to do with a
-- holder nobody decided on are copied from the catalog when it starts, so a later catalog change never alters
-- a running campaign); access_review_item one holder, the decision on them and, when removed, the revoke;
-- task_id is the holder's Tasklist task, so that a decision finds its item by the task, never by a variable.
create table access_review (
  id varchar(36) primary key,
  resource_id varchar(64) not null,
  owner_group varchar(64) not null,
  on_unreviewed varchar(20) not null,
  status varchar(16) not null,
  started_by varchar(256) not null,
  started_at timestamp with time zone not null,
  deadline timestamp with time zone not null,
  closed_at timestamp with time zone,
  process_instance_id varchar(64)
);
create index access_review_resource on access_review (resource_id, started_at);

create table access_review_item (
  review_id varchar(36) not null references access_review (id),
  item integer not null,
  holder varchar(256) not null,
  history varchar(2000) not null,
  outcome varchar(20) not null,
  decided_by varchar(256),
  decided_at timestamp with time zone,
  decision_comment varchar(1000),
  revoked_at timestamp with time zone,
  task_id varchar(64),
  primary key (review_id, item)
);
