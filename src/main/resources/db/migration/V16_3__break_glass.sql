-- Break-glass (issue 29, item 3): a request the policy lets its requester take at once, with no approval
-- (its approval chain is stored waived), and reviewed after the fact. One row per break-glass request: the
-- chain it skipped (its groups were told), the group that reviews it (the skipped chain's first), when the
-- review was escalated to the admins, and the review's outcome (KEEP or REVOKE). A REVOKE flags the
-- requester's next requests (request/UnusualAccess, BREAK_GLASS_REVOKED). process_instance_id binds the
-- review's own instance (processes/break-glass-review.bpmn) once: no second review can start for a request.
create table break_glass_review (
  request_id          varchar(64)   not null primary key references access_request (id),
  requester           varchar(64)   not null,
  review_group        varchar(64)   not null,
  skipped_groups      varchar(1024) not null,
  opened_at           timestamp with time zone not null,
  process_instance_id varchar(64),
  escalated_at        timestamp with time zone,
  outcome             varchar(16),
  reviewed_by         varchar(64),
  reviewed_at         timestamp with time zone,
  review_comment      varchar(1000)
);
create index break_glass_review_requester on break_glass_review (requester, outcome);
create index break_glass_review_instance on break_glass_review (process_instance_id);
