-- Issue 9. The budget hold was stored as the "estimated cost": its columns are renamed to what they hold,
-- so existing rows keep their hold there, and the cost estimate gets columns of its own (NULL for calls
-- written before it was kept). A call records whether a simulated provider took it. An event carries a key
-- that names the report it is, unique per call, so that a replayed callback is stored once; rows written
-- before have none (NULL) and are left as they are.

ALTER TABLE calling_call RENAME COLUMN estimated_cost_amount TO held_amount;
ALTER TABLE calling_call RENAME COLUMN estimated_cost_currency TO held_currency;
ALTER TABLE calling_call ADD COLUMN estimated_cost_amount NUMERIC(30, 10);
ALTER TABLE calling_call ADD COLUMN estimated_cost_currency CHAR(3);
ALTER TABLE calling_call ADD COLUMN simulated BOOLEAN DEFAULT FALSE NOT NULL;

ALTER TABLE calling_call_event ADD COLUMN dedup_key CHAR(64);
CREATE UNIQUE INDEX calling_call_event_dedup_uk ON calling_call_event (call_id, dedup_key);
