-- A call placed under an idempotency key keeps a fingerprint of its whole request (an HMAC under the store's secret),
-- so that the key reused for another request is refused rather than answered with this call. Calls from before keep
-- none and are compared by what their row keeps; an erasure clears it.

ALTER TABLE calling_call ADD COLUMN request_fingerprint VARCHAR(80);

-- The store's own secrets, one row each, made once by the first node that needs one: the key of request fingerprints.
CREATE TABLE calling_store_secret (
    name   VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret VARCHAR(128) NOT NULL
);
