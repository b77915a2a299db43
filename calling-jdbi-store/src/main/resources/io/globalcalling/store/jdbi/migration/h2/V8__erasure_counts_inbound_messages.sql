-- Issue 11. Retention and erasure cover messages from terminals (positions and replies are personal data):
-- the erasure audit row also counts the inbound messages an erasure deleted.

ALTER TABLE calling_erasure ADD COLUMN inbound_messages INTEGER NOT NULL DEFAULT 0;
