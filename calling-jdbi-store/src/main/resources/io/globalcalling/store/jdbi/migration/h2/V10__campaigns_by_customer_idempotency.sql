-- A customer's campaigns are listed newest first without reading other customers' campaigns; a campaign
-- created under an idempotency key is created once per customer and key (NULL keys never collide).

CREATE INDEX calling_campaign_customer_created_ix ON calling_campaign (customer_id, created_at, campaign_id);

ALTER TABLE calling_campaign ADD COLUMN idempotency_key VARCHAR(256);
CREATE UNIQUE INDEX calling_campaign_idempotency_uk ON calling_campaign (customer_id, idempotency_key);
