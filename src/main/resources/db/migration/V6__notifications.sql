-- Notifications (docs/notifications.md). A notice is stored by Portcullis in the transaction of the step
-- that caused it, and bound to the processes/notification.bpmn instance that sends it: the sending step
-- reads what to say from here, by its own instance, never from process variables. Portable SQL: H2 2.x
-- and PostgreSQL.
create table notification (
  id                  varchar(36)   not null primary key,
  process_instance_id varchar(64),
  kind                varchar(64)   not null,
  request_id          varchar(64),
  recipients          varchar(4000) not null,
  subject             varchar(500)  not null,
  facts               varchar(8000) not null,
  justification       varchar(4000),
  comment_text        varchar(4000),
  created_at          timestamp with time zone not null
);
create unique index notification_process_instance on notification (process_instance_id);
create index notification_request on notification (request_id);

-- One row per channel that accepted the notice: a retry of the sending step after e-mail went out and the
-- webhook failed sends on the webhook only. Written whatever happens to the step's transaction, since the
-- message has left.
create table notification_delivery (
  notification_id varchar(36) not null references notification (id),
  channel         varchar(32) not null,
  recipients      integer     not null,
  delivered_at    timestamp with time zone not null,
  primary key (notification_id, channel)
);
