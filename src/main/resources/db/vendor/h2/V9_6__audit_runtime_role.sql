-- PostgreSQL's version of this migration separates the runtime role from the migration role around the
-- audit trail (db/vendor/postgresql). H2 is one embedded user: nothing to separate, and retention deletes
-- directly (audit/AuditRetention). This version keeps the two histories alike.
select 1;
