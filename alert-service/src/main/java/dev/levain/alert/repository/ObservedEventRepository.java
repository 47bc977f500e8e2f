package dev.levain.alert.repository;

import dev.levain.alert.service.Observation;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

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
        // Typed binds: an untyped null would be sent as bytea.
        return getEntityManager().createNativeQuery(INSERT_IF_NEW).unwrap(NativeQuery.class)
                .setParameter(1, observation.eventId(), StandardBasicTypes.STRING)
                .setParameter(2, observation.topic(), StandardBasicTypes.STRING)
                .setParameter(3, observation.type(), StandardBasicTypes.STRING)
                .setParameter(4, observation.source(), StandardBasicTypes.STRING)
                .setParameter(5, observation.key(), StandardBasicTypes.STRING)
                .setParameter(6, observation.time(), StandardBasicTypes.OFFSET_DATE_TIME)
                .setParameter(7, observation.payload(), StandardBasicTypes.STRING)
                .setParameter(8, observedAt, StandardBasicTypes.OFFSET_DATE_TIME)
                .executeUpdate() == 1;
    }
}
