-- Issue 11. Messages terminals send (replies, positions, delivery confirmations), kept whether or not they
-- belong to a call: call_id is ours when the message was matched to a call, so it has no foreign key. A
-- provider's message id is unique per provider, so a redelivered message is kept once (NULLs are distinct).

CREATE TABLE calling_inbound_message (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id          VARCHAR(64)   NOT NULL,
    from_endpoint        VARCHAR(2048) NOT NULL,
    received_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    kind                 VARCHAR(32)   NOT NULL,
    payload              VARBINARY     NOT NULL,
    text                 VARCHAR,
    latitude             DOUBLE PRECISION,
    longitude            DOUBLE PRECISION,
    accuracy_meters      DOUBLE PRECISION,
    call_id              VARCHAR(128),
    provider_call_id     VARCHAR(256),
    provider_message_id  VARCHAR(256),
    details              VARCHAR       NOT NULL
);
CREATE UNIQUE INDEX calling_inbound_message_provider_uk ON calling_inbound_message (provider_id, provider_message_id);
CREATE INDEX calling_inbound_message_received_ix ON calling_inbound_message (received_at, id);
CREATE INDEX calling_inbound_message_from_ix ON calling_inbound_message (from_endpoint, received_at, id);
CREATE INDEX calling_inbound_message_call_ix ON calling_inbound_message (call_id, id);
