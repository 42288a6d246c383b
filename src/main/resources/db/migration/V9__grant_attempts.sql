-- When a grant was first set on its way to the target (DESIGN rule 13: an attempted write counts as done
-- until the target says otherwise). Written by the step "Start the access clock", committed before the
-- grant's first connector call, so that neither a failed call (its step rolls back) nor a node killed
-- between the call and its commit can lose it. From then on every way out of the request runs the owed
-- revoke, and expires_at (written with it) counts the approved time from this moment.
alter table access_request add column grant_attempted_at timestamp with time zone;
-- requests between their standing-access check and a confirmed grant when this column came (their grant
-- may have been attempted already): counted as attempted since their check, so that they too end with a revoke
update access_request set grant_attempted_at = standing_access_checked_at
  where status in ('PENDING', 'FAILED') and standing_access_checked_at is not null;
