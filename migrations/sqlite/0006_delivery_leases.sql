-- Leases live in their own small table instead of the delivery row (docs/benchmarks.md
-- "Processing"). A claim that set state = 'processing' and the lease columns rewrote each claimed
-- row, body included (about two deliveries per 4 KB page), and every rewritten page went to the
-- WAL; the processed mark rewrites it once more anyway. A lease row is a few bytes keyed by
-- delivery id, so a claim of 2,000 deliveries dirties a handful of pages.
--
-- A delivery is 'processing' when its row says 'pending' and a lease row exists (expired or not:
-- as before, it stays 'processing' until it is committed, released or claimed again). Readers of
-- the state (src/adapters/sqlite/inbox.ts) derive it that way; the lease_owner and lease_until
-- columns of deliveries are no longer written.
CREATE TABLE delivery_leases (
  delivery_id INTEGER PRIMARY KEY,
  owner       TEXT    NOT NULL,
  until       INTEGER NOT NULL
);
INSERT INTO delivery_leases (delivery_id, owner, until)
  SELECT id, coalesce(lease_owner, ''), coalesce(lease_until, 0) FROM deliveries WHERE state = 'processing';
UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE state = 'processing';
