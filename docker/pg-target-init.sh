#!/usr/bin/env bash
# The pg-target profile's database, made once by the postgres image's entrypoint: a table that only the role
# app_readonly may read, a login per demo person, and Portcullis' own login with the least privilege the
# postgresql-role connector needs (README, "PostgreSQL roles").
set -euo pipefail
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD in docker/.env}"
psql -v ON_ERROR_STOP=1 -v pw="$APP_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
create role app_readonly nologin;
create table orders (id int primary key, total numeric);
insert into orders values (1, 42);
grant select on orders to app_readonly;
create role portcullis_connector login createrole password :'pw';
grant app_readonly to portcullis_connector with admin option;
grant pg_signal_backend to portcullis_connector;
create role alice login password 'alice-demo';
create role lena login password 'lena-demo';
grant alice, lena to portcullis_connector with admin option;
SQL
