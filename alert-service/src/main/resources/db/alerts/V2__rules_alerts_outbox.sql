-- Rules, alert lifecycle, silences and the notification outbox (issue 5).

-- Rules are managed through the admin API. Columns that a kind does not use stay null.
CREATE SEQUENCE alerts.rule_seq;
CREATE TABLE alerts.rule (
    id               bigint PRIMARY KEY DEFAULT nextval('alerts.rule_seq'),
    name             text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock', 'days_of_supply',
                                                          'store_silent', 'pipeline_health')),
    store_code       text,                 -- null: every store
    threshold        numeric(14, 3),       -- low_stock: on hand <= this instead of the reorder point
    min_days         numeric(8, 2),        -- days_of_supply: fires below this many days
    silent_minutes   int,                  -- store_silent: minutes without a sale while open
    max_lag          bigint,               -- pipeline_health: records behind on the raw topics
    max_dead_letters int,                  -- pipeline_health: rejected events in the last hour
    channels         text[]      NOT NULL DEFAULT '{slack,email}',
    enabled          boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- The newest stock level seen per product x store: an older version arriving late changes nothing.
CREATE TABLE alerts.stock_level (
    store_code    text           NOT NULL,
    sku           text           NOT NULL,
    product_name  text,
    on_hand       numeric(14, 3) NOT NULL,
    reorder_point numeric(14, 3),
    version       bigint         NOT NULL,
    as_of         timestamptz,
    PRIMARY KEY (store_code, sku)
);

-- The last sale seen per store, for store-silent rules.
CREATE TABLE alerts.store_activity (
    store_code   text PRIMARY KEY,
    last_sale_at timestamptz NOT NULL
);

-- One row per episode of (rule, store, subject): pending -> firing -> resolved, or pending -> cancelled.
-- subject is the sku, '' for a store-level rule, or the pipeline signal.
CREATE SEQUENCE alerts.alert_seq;
CREATE TABLE alerts.alert (
    id               bigint PRIMARY KEY DEFAULT nextval('alerts.alert_seq'),
    rule_id          bigint      NOT NULL REFERENCES alerts.rule (id),
    store_code       text        NOT NULL,
    subject          text        NOT NULL,
    subject_name     text,
    state            text        NOT NULL CHECK (state IN ('pending', 'firing', 'resolved', 'cancelled')),
    level            numeric(14, 3),
    threshold        numeric(14, 3),
    started_at       timestamptz NOT NULL,
    fired_at         timestamptz,
    last_notified_at timestamptz,
    clear_since      timestamptz,          -- firing but the condition has been clear since (cooldown)
    resolved_at      timestamptz,
    updated_at       timestamptz NOT NULL
);
-- At most one open episode per key, whatever races.
CREATE UNIQUE INDEX alert_open_key_uq ON alerts.alert (rule_id, store_code, subject)
    WHERE state IN ('pending', 'firing');
CREATE INDEX alert_state_idx ON alerts.alert (state, updated_at);

-- What happened to an alert and would be told: firing, reminder, resolved.
CREATE SEQUENCE alerts.alert_event_seq;
CREATE TABLE alerts.alert_event (
    id          bigint PRIMARY KEY DEFAULT nextval('alerts.alert_event_seq'),
    alert_id    bigint      NOT NULL REFERENCES alerts.alert (id),
    kind        text        NOT NULL CHECK (kind IN ('firing', 'reminder', 'resolved')),
    level       numeric(14, 3),
    silenced    boolean     NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX alert_event_alert_idx ON alerts.alert_event (alert_id);

-- Mute a rule, a store, or a rule in a store until a time.
CREATE SEQUENCE alerts.silence_seq;
CREATE TABLE alerts.silence (
    id         bigint PRIMARY KEY DEFAULT nextval('alerts.silence_seq'),
    rule_id    bigint REFERENCES alerts.rule (id),
    store_code text,
    until      timestamptz NOT NULL,
    reason     text,
    created_at timestamptz NOT NULL,
    CHECK (rule_id IS NOT NULL OR store_code IS NOT NULL)
);

-- The outbox: written in the transaction of the alert state change, delivered by the dispatcher.
-- items holds the alert lines of the message; more lines join a pending message of the same
-- group (channel, rule, store, event kind) until its group wait is over (next_attempt_at).
CREATE SEQUENCE alerts.notification_seq;
CREATE TABLE alerts.notification (
    id              bigint PRIMARY KEY DEFAULT nextval('alerts.notification_seq'),
    channel         text        NOT NULL CHECK (channel IN ('slack', 'email', 'digest')),
    group_key       text        NOT NULL,
    store_code      text,
    event_kind      text        NOT NULL,
    items           jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until   timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX notification_due_idx ON alerts.notification (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_group_idx ON alerts.notification (group_key) WHERE status = 'pending' AND attempts = 0;

-- Every delivery attempt, for the history API.
CREATE SEQUENCE alerts.notification_attempt_seq;
CREATE TABLE alerts.notification_attempt (
    id              bigint PRIMARY KEY DEFAULT nextval('alerts.notification_attempt_seq'),
    notification_id bigint      NOT NULL REFERENCES alerts.notification (id),
    attempt         int         NOT NULL,
    attempted_at    timestamptz NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('sent', 'retry')),
    status_code     int,
    detail          text
);
CREATE INDEX notification_attempt_notification_idx ON alerts.notification_attempt (notification_id);
