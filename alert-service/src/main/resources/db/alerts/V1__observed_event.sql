-- What alert-service has seen on the normalized topics; rules and alert state come next.
CREATE SEQUENCE alerts.observed_event_seq;

CREATE TABLE alerts.observed_event (
    id          bigint PRIMARY KEY DEFAULT nextval('alerts.observed_event_seq'),
    event_id    text        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    event_type  text        NOT NULL,
    source      text        NOT NULL,
    event_key   text,
    event_time  timestamptz,
    payload     text        NOT NULL,
    observed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX observed_event_topic_time_idx ON alerts.observed_event (topic, observed_at);
