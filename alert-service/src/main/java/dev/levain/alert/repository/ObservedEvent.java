package dev.levain.alert.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One event seen on a normalized topic, kept once per CloudEvents id. Rows are written by
 * {@link ObservedEventRepository#insertIfNew}; the id comes from the column's default.
 */
@Entity
@Table(name = "observed_event", schema = "alerts")
public class ObservedEvent {

    @Id
    public Long id;

    @Column(name = "event_id", nullable = false, unique = true)
    public String eventId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public String source;

    @Column(name = "event_key")
    public String eventKey;

    @Column(name = "event_time")
    public OffsetDateTime eventTime;

    @Column(nullable = false)
    public String payload;

    @Column(name = "observed_at", nullable = false)
    public OffsetDateTime observedAt;
}
