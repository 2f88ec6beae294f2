-- Destination `transform` (docs/destinations.md, transforms): the attempt log keeps the first bytes of
-- the body a transform made, so a person can see what was sent. Null for untransformed bodies.
ALTER TABLE destination_attempts ADD COLUMN body_excerpt TEXT;
