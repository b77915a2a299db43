-- A campaign its customer's budget paused keeps the hold the budget refused, so that whichever node finds it
-- paused resumes it only once every budget period has room for that hold.

ALTER TABLE calling_campaign ADD COLUMN budget_need_amount NUMERIC(30, 10);
ALTER TABLE calling_campaign ADD COLUMN budget_need_currency CHAR(3);
