-- Where an event's `raw` item is in its delivery body, a JSON path such as
-- '$.entry[0].changes[0].value.statuses[2]' (src/core/item-paths.ts), for events stored without
-- their `raw` (the processor leaves it in the body). The dispatch thread's claim takes the item's
-- text out of the body with it (`body -> raw_at`) instead of parsing and normalizing the delivery
-- again (docs/benchmarks.md, "CPU per delivered event"). NULL: read back as before (raw-of-rows.ts).
ALTER TABLE events ADD COLUMN raw_at TEXT;
