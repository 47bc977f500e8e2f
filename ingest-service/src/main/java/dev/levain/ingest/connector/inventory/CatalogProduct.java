package dev.levain.ingest.connector.inventory;

import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.ingest.connector.ContentFingerprint;
import dev.levain.ingest.service.RawEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** One valid catalog product (sku, and whatever else the inventory system says of it) with its exact bytes. */
public record CatalogProduct(String sku, OffsetDateTime updatedAt, byte[] bytes) implements InventoryItem {

    /** The CloudEvents source of catalog products, which belong to no one location. */
    public static final String SOURCE = Sources.uri(Sources.INVENTORY, "catalog");

    @Override
    public Optional<Instant> changedAt() {
        return Optional.ofNullable(updatedAt).map(OffsetDateTime::toInstant);
    }

    /** Without {@code updated_at} the content is the version: a product is published again only when it changed. */
    @Override
    public RawEvent toRawEvent() {
        String contentHash = EventIds.sha256(bytes);
        String version = updatedAt == null ? contentHash : updatedAt.toInstant().toString();
        OffsetDateTime time = updatedAt == null ? OffsetDateTime.now(ZoneOffset.UTC) : updatedAt;
        return new RawEvent(Sources.INVENTORY, Topics.RAW_INVENTORY, sku, EventIds.stableId(SOURCE, sku, version),
                updatedAt == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(updatedAt), SOURCE, EventTypes.RAW_INVENTORY_PRODUCT, time,
                RawEvent.JSON, contentHash, ContentFingerprint.ofJson(bytes), bytes);
    }
}
