package dev.levain.alert.repository;

import dev.levain.alert.service.Observation;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** {@code alerts.observed_event}. */
@ApplicationScoped
public class ObservedEventRepository implements PanacheRepository<ObservedEvent> {

    // One statement, so that two deliveries of one event at once (a rebalance, two instances)
    // leave one row and neither fails.
    private static final String INSERT_IF_NEW = """
            INSERT INTO alerts.observed_event (event_id, topic, event_type, source, event_key, event_time, payload, observed_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (event_id) DO NOTHING""";

    /** Stores the observation unless its event id is already there; returns whether it was new. */
    public boolean insertIfNew(Observation observation, OffsetDateTime observedAt) {
        return getEntityManager().createNativeQuery(INSERT_IF_NEW)
                .setParameter(1, observation.eventId())
                .setParameter(2, observation.topic())
                .setParameter(3, observation.type())
                .setParameter(4, observation.source())
                .setParameter(5, observation.key())
                .setParameter(6, observation.time())
                .setParameter(7, observation.payload())
                .setParameter(8, observedAt)
                .executeUpdate() == 1;
    }
}
