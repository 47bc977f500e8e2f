package dev.levain.ingest.connector.inventory;

import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.ingest.service.RawEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One valid stock level: what is on hand of {@code sku} at {@code location} as of {@code updatedAt},
 * with the exact bytes it arrived as (a JSON object or an XML element).
 */
public record StockLevel(String sku, String location, BigDecimal onHand, OffsetDateTime updatedAt,
                         String contentType, byte[] bytes) implements InventoryItem {

    /** Levain's key for a level (DESIGN §2: sku + location): every version of it lands in one partition. */
    public String key() {
        return sku + "@" + location;
    }

    @Override
    public Optional<Instant> changedAt() {
        return Optional.of(updatedAt.toInstant());
    }

    /**
     * The id hashes the instant, not the text, of {@code updated_at}: the same version of a level pulled in
     * JSON, pulled in XML or pushed by webhook is one event, published once. So does the fingerprint, with the
     * quantity: another {@code on_hand} as of the same instant is a changed count, whatever the format.
     */
    @Override
    public RawEvent toRawEvent() {
        String source = Sources.uri(Sources.INVENTORY, location);
        String version = updatedAt.toInstant().toString();
        return new RawEvent(Sources.INVENTORY, Topics.RAW_INVENTORY, key(), EventIds.stableId(source, key(), version),
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(updatedAt), source, EventTypes.RAW_INVENTORY_LEVEL, updatedAt, contentType,
                EventIds.sha256(bytes), EventIds.stableId(key(), version, onHand.stripTrailingZeros().toPlainString()),
                bytes);
    }
}
