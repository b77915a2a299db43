-- An erasure also deletes what the providers keep of the number's calls (recordings, call logs). Each such call
-- waits here, written in the erasure's own transaction, until its provider confirms the deletion; then it goes.

CREATE TABLE calling_provider_erasure (
    provider_id      VARCHAR(64)   NOT NULL,
    provider_call_id VARCHAR(256)  NOT NULL,
    requested_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts         INTEGER       NOT NULL,
    last_error       VARCHAR(1000),
    PRIMARY KEY (provider_id, provider_call_id)
);

CREATE INDEX calling_provider_erasure_due_ix ON calling_provider_erasure (next_attempt_at);

-- A call still under way when its number is erased keeps the number, which its settlement prices by, until it can
-- no longer change what is billed; it waits here, with the erased number's pseudonym, until then.

CREATE TABLE calling_deferred_erasure (
    call_id      VARCHAR(128)  NOT NULL PRIMARY KEY,
    number_hash  VARCHAR(128)  NOT NULL,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL
);
