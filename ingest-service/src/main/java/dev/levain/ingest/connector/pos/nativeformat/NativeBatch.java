package dev.levain.ingest.connector.pos.nativeformat;

import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.RawEvent;
import java.util.List;

/** The sales of one batch request, each read on its own: an event, or the reasons it was refused. */
public record NativeBatch(List<Item> items) {

    /** The sale at {@code index}: {@code event} when valid, else {@code errors}. */
    public record Item(int index, RawEvent event, List<FieldError> errors) {
    }

    public List<RawEvent> events() {
        return items.stream().filter(i -> i.event() != null).map(Item::event).toList();
    }
}
