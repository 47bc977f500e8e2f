-- Edge dedupe: one row per event id accepted on a topic. The row is inserted in the same
-- transaction that waits for Kafka's acknowledgement, so a concurrent duplicate waits on the
-- unique index and then sees the event as already published.
CREATE TABLE received_event (
    topic        text        NOT NULL,
    event_id     text        NOT NULL,
    connector    text        NOT NULL,
    entity_key   text        NOT NULL,
    content_hash text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, event_id)
);
CREATE INDEX received_event_received_at ON received_event (received_at);

-- Where each scheduled pull resumes: advanced only after what it pulled is on Kafka.
CREATE TABLE pull_cursor (
    job        text        PRIMARY KEY,
    position   text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
