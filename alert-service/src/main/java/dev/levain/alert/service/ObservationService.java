package dev.levain.alert.service;

import dev.levain.alert.repository.ObservedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/** Records the inventory and sales events the alert rules will watch, once each. */
@ApplicationScoped
public class ObservationService {

    private final ObservedEventRepository events;

    public ObservationService(ObservedEventRepository events) {
        this.events = events;
    }

    /** Stores the event unless its id was seen before; returns whether it was new. */
    @Transactional
    public boolean observe(Observation observation) {
        return events.insertIfNew(observation, OffsetDateTime.now());
    }
}
