-- When the standing-access check answered. The first answer is kept: a check that runs again (an
-- operator moving a token back, a retry) after Portcullis' own grant reached the target would see that
-- grant and call it standing access, and the expiry would then leave it in place.
alter table access_request add column standing_access_checked_at timestamp with time zone;
-- requests that got past the check before this column existed (a pending one may not have been checked)
update access_request set standing_access_checked_at = requested_at where status <> 'PENDING' or access_preexisted;
