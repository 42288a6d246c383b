-- The duration a request asked for is kept once, where the request is (access_request.duration): approval
-- reads it with the chain (issue 26). Its copy in approval_chain, written when the chain opened and never
-- changed, is dropped; the two always held the same text.
alter table approval_chain drop column duration;
