-- Destination format `conversation` (docs/destinations.md, formats): `batch_window_ms` debounces a contact's messages
-- so a burst is posted as one conversation. 0 posts every message at once.
ALTER TABLE destinations ADD COLUMN batch_window_ms INTEGER NOT NULL DEFAULT 0;
