package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where one stock level from the inventory system becomes a canonical stock level. Ingest keeps the level's
 * exact bytes, JSON {@code {"sku","location","on_hand","updated_at"}} or XML {@code <stockLevel sku location>
 * <onHand/><updatedAt/></stockLevel>}; the format is told by the payload's first non-blank character, which
 * cannot disagree with the bytes as a content-type header could. XML is read with DTDs and entities refused.
 * A negative on-hand is kept: inventory systems count sales before deliveries are booked, and the model's
 * stock status reads it as out of stock.
 */
@ApplicationScoped
public class InventoryLevelMapper implements RawEventMapper {

    private final StoreDirectory stores;

    public InventoryLevelMapper(StoreDirectory stores) {
        this.stores = stores;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_INVENTORY_LEVEL);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        char first = firstNonBlank(raw.payload());
        if (first == '{') {
            return List.of(fromJson(raw));
        }
        if (first == '<') {
            return List.of(fromXml(raw));
        }
        throw new RejectedEventException("payload is neither a JSON stock level nor an XML <stockLevel>");
    }

    private CanonicalStockLevel fromJson(RawEnvelope raw) {
        JsonFields level = JsonFields.parse(raw.payload(), "a stock level");
        return level(raw, level.requiredText("sku"), level.requiredText("location"),
                Money.requireCount(level.requiredDecimal("on_hand"), "on_hand"), level.requiredTime("updated_at"));
    }

    private CanonicalStockLevel fromXml(RawEnvelope raw) {
        SafeXml.Element level = SafeXml.root(raw.payload(), "stockLevel");
        String sku = Fields.required(level.attributes().get("sku"), "stockLevel/@sku");
        String location = Fields.required(level.attributes().get("location"), "stockLevel/@location");
        String onHand = Fields.required(level.children().get("onHand"), "stockLevel/onHand");
        return level(raw, sku, location, Money.requireCount(number(onHand, "stockLevel/onHand"), "stockLevel/onHand"),
                Fields.dateTime(level.children().get("updatedAt"), "stockLevel/updatedAt"));
    }

    private CanonicalStockLevel level(RawEnvelope raw, String sku, String location, BigDecimal onHand,
                                      OffsetDateTime asOf) {
        return new CanonicalStockLevel(Sources.INVENTORY, sku.trim().toUpperCase(Locale.ROOT),
                stores.storeCode(location), onHand, asOf, raw.receivedAt());
    }

    private static BigDecimal number(String text, String field) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new RejectedEventException(field + " is not a number: " + text);
        }
    }

    /** The first character that is not whitespace or a byte order mark; 0 for an empty payload. */
    private static char firstNonBlank(byte[] payload) {
        int i = payload.length >= 3 && (payload[0] & 0xFF) == 0xEF && (payload[1] & 0xFF) == 0xBB
                && (payload[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < payload.length && Character.isWhitespace(payload[i])) {
            i++;
        }
        return i < payload.length ? (char) payload[i] : 0;
    }
}
