-- JWT credentials (io.portcullis.credential, issue 28). A jwt-credential hand-out is a row of credential (V11)
-- whose secret_sha256 is the SHA-256 of its current refresh token: its id names the family of refresh tokens.
-- A refresh rotates it; the hash of each token rotated away is kept here, so that its reuse is seen and kills
-- the family. Access tokens are not stored; one revoked by its holder (RFC 7009) is kept by its jti until its exp.
-- Portable SQL: H2 2.x and PostgreSQL.
create table credential_refresh_used (
  secret_sha256 varchar(64) not null primary key,
  credential_id varchar(36) not null,
  used_at       timestamp with time zone not null
);
create index credential_refresh_used_by_family on credential_refresh_used (credential_id);

create table credential_revoked_jti (
  jti           varchar(36) not null primary key,
  credential_id varchar(36) not null,
  expires_at    timestamp with time zone not null,
  revoked_at    timestamp with time zone not null
);
