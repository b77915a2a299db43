-- Issue 15. Campaigns run: a campaign keeps its policy and why it is paused, and may let routing pick the
-- category per target; a target may carry its recipient's time zone; a do-not-call list per customer.

ALTER TABLE calling_campaign ALTER COLUMN category SET NULL;
ALTER TABLE calling_campaign ADD COLUMN policy VARCHAR;
ALTER TABLE calling_campaign ADD COLUMN status_reason VARCHAR(2048);

ALTER TABLE calling_campaign_target ADD COLUMN time_zone VARCHAR(64);
ALTER TABLE calling_campaign_target ALTER COLUMN last_outcome VARCHAR(64);

CREATE TABLE calling_suppression (
    customer_id VARCHAR(128) NOT NULL,
    number      VARCHAR(512) NOT NULL,
    PRIMARY KEY (customer_id, number)
);
