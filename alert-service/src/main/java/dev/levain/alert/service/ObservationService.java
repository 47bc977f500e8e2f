package dev.levain.alert.service;

import dev.levain.alert.repository.ObservedEvent;
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
        if (events.existsByEventId(observation.eventId())) {
            return false;
        }
        ObservedEvent event = new ObservedEvent();
        event.eventId = observation.eventId();
        event.topic = observation.topic();
        event.eventType = observation.type();
        event.source = observation.source();
        event.eventKey = observation.key();
        event.eventTime = observation.time();
        event.payload = observation.payload();
        event.observedAt = OffsetDateTime.now();
        events.persist(event);
        return true;
    }
}
