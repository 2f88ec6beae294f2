-- Contact keys only on the rows of destinations that read them (ordering `contact`, format
-- `conversation`: the claim's head-of-contact test and a conversation's coverage). On every other
-- destination row the key only cost its entry in outbox_contact_order, scattered by contact, which
-- marking the row delivered had to remove: most of the dispatch thread's time per delivered event
-- (docs/benchmarks.md, "CPU per delivered event"). A target with no destination row (a test, a
-- destination deleted since) keeps the key, as before.
DROP TRIGGER outbox_destination_contact;
CREATE TRIGGER outbox_destination_contact AFTER INSERT ON outbox
WHEN NEW.target LIKE 'destination:%' AND NOT EXISTS (SELECT 1 FROM destinations d
  WHERE d.id = substr(NEW.target, 13) AND d.ordering <> 'contact' AND d.format <> 'conversation')
BEGIN
  UPDATE outbox SET
    contact_key = (SELECT coalesce(contact_wa_id, contact_user_id) FROM events WHERE id = NEW.event_id),
    order_at = (SELECT coalesce(occurred_at, 0) FROM events WHERE id = NEW.event_id)
  WHERE id = NEW.id;
END;

-- A destination changed to read them: its pending rows get their keys in the same transaction, so
-- none of them is sent out of its contact's order.
CREATE TRIGGER destination_orders_by_contact AFTER UPDATE OF ordering, format ON destinations
WHEN (NEW.ordering = 'contact' OR NEW.format = 'conversation')
  AND NOT (OLD.ordering = 'contact' OR OLD.format = 'conversation')
BEGIN
  UPDATE outbox SET
    contact_key = (SELECT coalesce(contact_wa_id, contact_user_id) FROM events e WHERE e.id = outbox.event_id),
    order_at = (SELECT coalesce(occurred_at, 0) FROM events e WHERE e.id = outbox.event_id)
  WHERE target = 'destination:' || NEW.id AND state = 'pending' AND contact_key IS NULL;
END;
