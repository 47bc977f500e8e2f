package dev.levain.alert.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code alerts.observed_event}. */
@ApplicationScoped
public class ObservedEventRepository implements PanacheRepository<ObservedEvent> {

    public boolean existsByEventId(String eventId) {
        return count("eventId", eventId) > 0;
    }
}
