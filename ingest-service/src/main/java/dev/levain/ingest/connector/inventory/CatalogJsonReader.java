package dev.levain.ingest.connector.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.events.Json;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a page of the catalog, {@code {"products": [{"sku", "name", "category", "unit_cost",
 * "reorder_point", "updated_at"}, ...]}}: only {@code sku} is required; the others, when present, must
 * have their type.
 */
@ApplicationScoped
public class CatalogJsonReader {

    static final String LIST = "products";

    public InventoryPage<CatalogProduct> readPage(byte[] body) {
        JsonListing listing = JsonListing.split(body, LIST);
        if (!listing.found()) {
            throw new InvalidInputException(List.of(new FieldError(LIST, "is required")));
        }
        List<ReadItem<CatalogProduct>> items = new ArrayList<>();
        for (int i = 0; i < listing.entries().size(); i++) {
            items.add(read(listing.entries().get(i), LIST + "[" + i + "]", i));
        }
        return new InventoryPage<>(items, listing.page(), listing.totalPages());
    }

    private static ReadItem<CatalogProduct> read(byte[] bytes, String prefix, int index) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode node = tree(bytes);
        if (!node.isObject()) {
            errors.add(new FieldError(prefix, "must be an object"));
            return ReadItem.of(index, null, errors);
        }
        JsonFields fields = new JsonFields(node, prefix, errors);
        String sku = fields.requiredText("sku");
        BigDecimal unitCost = fields.number("unit_cost", false);
        fields.check(unitCost == null || unitCost.signum() >= 0, "unit_cost", "must not be negative");
        BigDecimal reorderPoint = fields.number("reorder_point", false);
        fields.check(reorderPoint == null || (reorderPoint.signum() >= 0 && reorderPoint.stripTrailingZeros().scale() <= 0),
                "reorder_point", "must be a whole number >= 0");
        OffsetDateTime updatedAt = fields.time("updated_at", false);
        return ReadItem.of(index, errors.isEmpty() ? new CatalogProduct(sku, updatedAt, bytes) : null, errors);
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("An entry of a parsed listing is valid JSON", e);
        }
    }
}
