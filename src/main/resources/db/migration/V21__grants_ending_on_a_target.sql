-- The grants of one target that end within a window (issue 31: request/ExpiriesTogether, the revoke of a
-- burst's expiries together): without it each expiry's revoke step read every ACTIVE grant through the
-- status index, a third of the job threads' CPU in a burst of 300 at 100,000 active grants on H2.
create index access_request_ending on access_request (connector, target, expires_at);
