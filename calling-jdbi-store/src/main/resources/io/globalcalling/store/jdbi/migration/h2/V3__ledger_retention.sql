-- Ledger retention: when a spending period was first charged and last changed, so that the retention
-- purge can tell a finished, idle period from the current one; and indexes for the purge's queries.

ALTER TABLE calling_spend_period ADD COLUMN created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE calling_spend_period ADD COLUMN changed_at TIMESTAMP WITH TIME ZONE;
UPDATE calling_spend_period SET created_at = CURRENT_TIMESTAMP, changed_at = CURRENT_TIMESTAMP;
ALTER TABLE calling_spend_period ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE calling_spend_period ALTER COLUMN changed_at SET NOT NULL;
CREATE INDEX calling_spend_period_changed_ix ON calling_spend_period (changed_at);

CREATE INDEX calling_spend_hold_closed_ix ON calling_spend_hold (state, settled_at);
CREATE INDEX calling_spend_hold_customer_ix ON calling_spend_hold (customer_id, state);
CREATE INDEX calling_spend_hold_period_key_ix ON calling_spend_hold_period (period, period_key);
CREATE INDEX calling_limit_window_start_ix ON calling_limit_window (window_start);
CREATE INDEX calling_alert_mark_marked_ix ON calling_alert_mark (marked_at);
