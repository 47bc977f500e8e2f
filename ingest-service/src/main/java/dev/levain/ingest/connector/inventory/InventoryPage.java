package dev.levain.ingest.connector.inventory;

import java.util.List;

/** One page of an inventory API listing; pages count from 1. */
public record InventoryPage<T extends InventoryItem>(List<ReadItem<T>> items, int page, int totalPages) {
}
