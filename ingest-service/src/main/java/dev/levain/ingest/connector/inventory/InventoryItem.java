package dev.levain.ingest.connector.inventory;

import dev.levain.ingest.service.RawEvent;
import java.time.Instant;
import java.util.Optional;

/** Something the inventory system sent that becomes one raw event: a stock level or a catalog product. */
public sealed interface InventoryItem permits StockLevel, CatalogProduct {

    /** When the inventory system last changed it, if it says; the pull cursor follows this. */
    Optional<Instant> changedAt();

    RawEvent toRawEvent();
}
