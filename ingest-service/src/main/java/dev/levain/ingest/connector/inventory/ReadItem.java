package dev.levain.ingest.connector.inventory;

import dev.levain.ingest.service.FieldError;
import java.util.List;

/** One entry of a page or webhook: read ({@code item} set) or refused with the reasons. */
public record ReadItem<T extends InventoryItem>(int index, T item, List<FieldError> errors) {

    static <T extends InventoryItem> ReadItem<T> of(int index, T item, List<FieldError> errors) {
        return errors.isEmpty() ? new ReadItem<>(index, item, List.of()) : new ReadItem<>(index, null, List.copyOf(errors));
    }

    public boolean valid() {
        return item != null;
    }
}
