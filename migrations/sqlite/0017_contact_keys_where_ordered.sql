-- Occurrence order only on the rows of destinations that read it (ordering `contact`, format
-- `conversation`: the claim's head-of-contact test). Every destination row had its place in
-- outbox_contact_order, scattered by contact, and marking a row delivered had to remove it: most of
-- the dispatch thread's time per delivered event (docs/benchmarks.md, "CPU per delivered event").
-- The index now holds only rows with an `order_at`; `contact_key` stays on every destination row (a
-- conversation's coverage reads it). A target with no destination row (a test, a destination deleted
-- since) keeps its order_at, as before.
DROP TRIGGER outbox_destination_contact;
CREATE TRIGGER outbox_destination_contact AFTER INSERT ON outbox
WHEN NEW.target LIKE 'destination:%'
BEGIN
  UPDATE outbox SET
    contact_key = (SELECT coalesce(contact_wa_id, contact_user_id) FROM events WHERE id = NEW.event_id),
    order_at = CASE WHEN NOT EXISTS (SELECT 1 FROM destinations d WHERE d.id = substr(NEW.target, 13)
        AND d.ordering <> 'contact' AND d.format <> 'conversation')
      THEN (SELECT coalesce(occurred_at, 0) FROM events WHERE id = NEW.event_id) END
  WHERE id = NEW.id;
END;

DROP INDEX outbox_contact_order;
CREATE INDEX outbox_contact_order ON outbox (target, contact_key, order_at, id)
  WHERE state = 'pending' AND contact_key IS NOT NULL AND order_at IS NOT NULL;

-- A destination changed to read it: its pending rows get their order_at in the same transaction, so
-- none of them is sent out of its contact's order.
CREATE TRIGGER destination_orders_by_contact AFTER UPDATE OF ordering, format ON destinations
WHEN (NEW.ordering = 'contact' OR NEW.format = 'conversation')
  AND NOT (OLD.ordering = 'contact' OR OLD.format = 'conversation')
BEGIN
  UPDATE outbox SET
    order_at = (SELECT coalesce(occurred_at, 0) FROM events e WHERE e.id = outbox.event_id)
  WHERE target = 'destination:' || NEW.id AND state = 'pending' AND order_at IS NULL;
END;
