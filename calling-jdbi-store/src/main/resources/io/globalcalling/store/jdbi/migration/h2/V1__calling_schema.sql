-- Global Calling SDK schema, H2. JSON is kept as text (VARCHAR): H2's JSON type stores a bound string as a JSON string. Every table is prefixed calling_ so it sits beside the host's own.

CREATE TABLE calling_call (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id                 VARCHAR(128)  NOT NULL,
    customer_id             VARCHAR(128)  NOT NULL,
    category                VARCHAR(32)   NOT NULL,
    provider_id             VARCHAR(64),
    provider_call_id        VARCHAR(256),
    from_number             VARCHAR(512),
    to_number               VARCHAR(512)  NOT NULL,
    status                  VARCHAR(32)   NOT NULL,
    status_rank             SMALLINT      NOT NULL,
    terminal                BOOLEAN       NOT NULL,
    purpose                 VARCHAR(32),
    priority                VARCHAR(32)   NOT NULL,
    attempt                 INTEGER       NOT NULL,
    idempotency_key         VARCHAR(256),
    campaign_id             VARCHAR(128),
    estimated_cost_amount   NUMERIC(30, 10),
    estimated_cost_currency CHAR(3),
    cost_amount             NUMERIC(30, 10),
    cost_currency           CHAR(3),
    duration_seconds        INTEGER,
    recording_url           VARCHAR(2048),
    transcript              VARCHAR,
    ai_sentiment            VARCHAR(64),
    route_reasons           VARCHAR         NOT NULL,
    error_reason            VARCHAR(64),
    error_message           VARCHAR(2048),
    needs_reconciliation    BOOLEAN       NOT NULL,
    limit_bypass            BOOLEAN       NOT NULL,
    started_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_at             TIMESTAMP WITH TIME ZONE,
    ended_at                TIMESTAMP WITH TIME ZONE,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    metadata                VARCHAR         NOT NULL,
    CONSTRAINT calling_call_call_id_uk UNIQUE (call_id),
    CONSTRAINT calling_call_idempotency_uk UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX calling_call_category_ix ON calling_call (category);
CREATE INDEX calling_call_to_number_ix ON calling_call (to_number);
CREATE INDEX calling_call_from_number_ix ON calling_call (from_number);
CREATE INDEX calling_call_status_ix ON calling_call (status, started_at);
CREATE INDEX calling_call_started_at_ix ON calling_call (started_at);
CREATE INDEX calling_call_provider_call_ix ON calling_call (provider_id, provider_call_id);
CREATE INDEX calling_call_reconcile_ix ON calling_call (needs_reconciliation, started_at);

CREATE TABLE calling_call_event (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id      VARCHAR(128) NOT NULL,
    source       VARCHAR(64)  NOT NULL,
    type         VARCHAR(64)  NOT NULL,
    status       VARCHAR(32),
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    data         VARCHAR        NOT NULL
);
CREATE INDEX calling_call_event_call_ix ON calling_call_event (call_id, id);
CREATE INDEX calling_call_event_occurred_ix ON calling_call_event (occurred_at);

CREATE TABLE calling_campaign (
    campaign_id         VARCHAR(128) PRIMARY KEY,
    customer_id         VARCHAR(128) NOT NULL,
    name                VARCHAR(512) NOT NULL,
    category            VARCHAR(32)  NOT NULL,
    script_template     VARCHAR,
    total_numbers       INTEGER      NOT NULL,
    completed_calls     INTEGER      NOT NULL,
    successful_calls    INTEGER      NOT NULL,
    failed_calls        INTEGER      NOT NULL,
    total_cost_amount   NUMERIC(30, 10) NOT NULL,
    total_cost_currency CHAR(3)      NOT NULL,
    status              VARCHAR(32)  NOT NULL,
    scheduled_at        TIMESTAMP WITH TIME ZONE,
    started_at          TIMESTAMP WITH TIME ZONE,
    completed_at        TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX calling_campaign_category_ix ON calling_campaign (category);
CREATE INDEX calling_campaign_status_ix ON calling_campaign (status);

CREATE TABLE calling_campaign_target (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    campaign_id     VARCHAR(128) NOT NULL,
    target_id       VARCHAR(128) NOT NULL,
    to_number       VARCHAR(512) NOT NULL,
    variables       VARCHAR        NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    lease_owner     VARCHAR(128),
    lease_until     TIMESTAMP WITH TIME ZONE,
    last_call_id    VARCHAR(128),
    last_outcome    VARCHAR(32),
    PRIMARY KEY (campaign_id, target_id)
);
CREATE INDEX calling_campaign_target_due_ix ON calling_campaign_target (campaign_id, state, next_attempt_at);
CREATE INDEX calling_campaign_target_number_ix ON calling_campaign_target (to_number);

CREATE TABLE calling_limit_window (
    customer_id  VARCHAR(128) NOT NULL,
    window_name  VARCHAR(64)  NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    calls        BIGINT       NOT NULL,
    PRIMARY KEY (customer_id, window_name, window_start)
);

CREATE TABLE calling_spend_period (
    customer_id VARCHAR(128) NOT NULL,
    period      VARCHAR(64)  NOT NULL,
    period_key  VARCHAR(64)  NOT NULL,
    used        NUMERIC(30, 10) NOT NULL,
    cap         NUMERIC(30, 10),
    currency    CHAR(3)      NOT NULL,
    PRIMARY KEY (customer_id, period, period_key)
);

CREATE TABLE calling_spend_hold (
    hold_id     VARCHAR(128) PRIMARY KEY,
    customer_id VARCHAR(128) NOT NULL,
    amount      NUMERIC(30, 10) NOT NULL,
    currency    CHAR(3)      NOT NULL,
    bypass      BOOLEAN      NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    settled     NUMERIC(30, 10),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    settled_at  TIMESTAMP WITH TIME ZONE
);

CREATE TABLE calling_spend_hold_period (
    hold_id    VARCHAR(128) NOT NULL,
    period     VARCHAR(64)  NOT NULL,
    period_key VARCHAR(64)  NOT NULL,
    PRIMARY KEY (hold_id, period, period_key)
);

CREATE TABLE calling_alert_mark (
    customer_id       VARCHAR(128) NOT NULL,
    period            VARCHAR(64)  NOT NULL,
    period_key        VARCHAR(64)  NOT NULL,
    threshold_percent INTEGER      NOT NULL,
    marked_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (customer_id, period, period_key, threshold_percent)
);

CREATE TABLE calling_erasure (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number_hash VARCHAR(128) NOT NULL,
    erased_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    calls       INTEGER      NOT NULL,
    events      INTEGER      NOT NULL,
    targets     INTEGER      NOT NULL
);
