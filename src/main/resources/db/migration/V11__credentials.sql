-- Credentials handed out for granted access (io.portcullis.credential, issue 28). A credential connector's
-- grant opens a slot (holder, connector instance, target) and its revoke closes it; a credential is handed
-- out once per request while its request is ACTIVE and its slot open, and is stored only as the SHA-256 of
-- its secret (secret_sha256, hex). It is live while its request is ACTIVE, its slot's revoke has not
-- marked it revoked and expires_at (the grant's end) is ahead. Portable SQL: H2 2.x and PostgreSQL.
create table credential_slot (
  connector   varchar(64)   not null,
  holder      varchar(255)  not null,
  target      varchar(1024) not null,
  opened_at   timestamp with time zone not null,
  closed_at   timestamp with time zone,
  primary key (connector, holder, target)
);

create table credential (
  id            varchar(36)   not null primary key,
  request_id    varchar(36)   not null,
  kind          varchar(32)   not null,
  connector     varchar(64)   not null,
  holder        varchar(255)  not null,
  target        varchar(1024) not null,
  secret_sha256 varchar(64)   not null,
  issued_at     timestamp with time zone not null,
  expires_at    timestamp with time zone not null,
  revoked_at    timestamp with time zone,
  constraint credential_once_per_request unique (request_id, kind),
  constraint credential_secret unique (secret_sha256)
);
create index credential_by_slot on credential (connector, holder, target);

-- A holder's account in a credential instance, disabled by offboarding's freeze (AccountControl): while a
-- row is here, introspection refuses every credential of that holder from that instance.
create table credential_account_disabled (
  connector   varchar(64)   not null,
  holder      varchar(255)  not null,
  disabled_at timestamp with time zone not null,
  primary key (connector, holder)
);
