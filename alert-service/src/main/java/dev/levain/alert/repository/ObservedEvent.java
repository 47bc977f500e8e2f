package dev.levain.alert.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One event seen on a normalized topic, kept once per CloudEvents id. */
@Entity
@Table(name = "observed_event", schema = "alerts")
public class ObservedEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "observed_event_seq")
    @SequenceGenerator(name = "observed_event_seq", sequenceName = "alerts.observed_event_seq", allocationSize = 50)
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
