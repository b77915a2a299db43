-- A customer's calls are listed newest first without reading other customers' calls.

CREATE INDEX calling_call_customer_started_ix ON calling_call (customer_id, started_at, id);
