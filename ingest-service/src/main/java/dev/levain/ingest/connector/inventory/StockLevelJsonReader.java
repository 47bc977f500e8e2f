package dev.levain.ingest.connector.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.events.Json;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads stock levels in JSON, {@code {"sku", "location", "on_hand", "updated_at"}}, from an API page or a
 * webhook ({@code {"stock_levels": [...]}} or one level alone), naming each bad field.
 */
@ApplicationScoped
public class StockLevelJsonReader {

    static final String LIST = "stock_levels";

    /** An API page; throws {@link InvalidInputException} when the page itself is unreadable. */
    public InventoryPage<StockLevel> readPage(byte[] body) {
        JsonListing listing = JsonListing.split(body, LIST);
        if (!listing.found()) {
            throw new InvalidInputException(List.of(new FieldError(LIST, "is required")));
        }
        return new InventoryPage<>(readEntries(listing.entries()), listing.page(), listing.totalPages());
    }

    /** A webhook: each level on its own, so one bad level does not stop the others. */
    public List<ReadItem<StockLevel>> readWebhook(byte[] body, int maxBatchSize) {
        JsonListing listing = JsonListing.split(body, LIST);
        if (!listing.found()) {
            return List.of(read(body, "", 0));
        }
        if (listing.entries().isEmpty()) {
            throw new InvalidInputException(List.of(new FieldError(LIST, "is empty; at least one level is expected")));
        }
        if (listing.entries().size() > maxBatchSize) {
            throw new InvalidInputException(List.of(new FieldError(LIST,
                    "holds " + listing.entries().size() + " levels; at most " + maxBatchSize + " per webhook")));
        }
        return readEntries(listing.entries());
    }

    private List<ReadItem<StockLevel>> readEntries(List<byte[]> entries) {
        List<ReadItem<StockLevel>> items = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            items.add(read(entries.get(i), LIST + "[" + i + "]", i));
        }
        return items;
    }

    private static ReadItem<StockLevel> read(byte[] bytes, String prefix, int index) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode node = tree(bytes);
        if (!node.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix, "must be an object"));
            return ReadItem.of(index, null, errors);
        }
        JsonFields fields = new JsonFields(node, prefix, errors);
        String sku = fields.requiredCode("sku");
        String location = fields.requiredCode("location");
        BigDecimal onHand = fields.number("on_hand", true);
        OffsetDateTime updatedAt = fields.time("updated_at", true);
        StockLevel level = errors.isEmpty() ? new StockLevel(sku, location, onHand, updatedAt, RawEvent.JSON, bytes) : null;
        return ReadItem.of(index, level, errors);
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            // The listing was parsed already, so its entries are well-formed JSON.
            throw new IllegalStateException("An entry of a parsed listing is valid JSON", e);
        }
    }
}
