-- Bounded queues (issue 24, finding 7): a person may have only so many PENDING requests
-- (portcullis.requests.max-pending, and max-pending-per-resource for one resource). Opening a request locks
-- its requester's row here (select ... for update), counts their pending requests and inserts the new one,
-- all in one transaction: a second opening for the same person, on any node, waits for the first to commit
-- and then counts it. The rows exist from the start, one per bucket of names (the name's hash modulo 64), so
-- the first request of a new person has a row to lock too; two people who share a bucket only wait for each
-- other's opening, a few milliseconds.
create table request_queue_lock (
  bucket integer not null primary key
);
insert into request_queue_lock (bucket) values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24), (25), (26), (27), (28), (29), (30), (31), (32), (33), (34), (35), (36), (37), (38), (39), (40), (41), (42), (43), (44), (45), (46), (47), (48), (49), (50), (51), (52), (53), (54), (55), (56), (57), (58), (59), (60), (61), (62), (63);
