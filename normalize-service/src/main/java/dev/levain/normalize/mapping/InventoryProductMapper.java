package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a catalog product ({@code sku}, {@code name}, {@code category}, {@code unit_cost},
 * {@code reorder_point}, {@code price}, {@code updated_at}) becomes a canonical product. Only the sku is
 * required; an absent field stays null (unknown, the stored value is kept). The version is
 * {@code updated_at} in epoch milliseconds, 0 without one (ingest then publishes a product only when its
 * content changed, and versions are ordered by receipt).
 */
@ApplicationScoped
public class InventoryProductMapper implements RawEventMapper {

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_INVENTORY_PRODUCT);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        JsonFields product = JsonFields.parse(raw.payload(), "a catalog product");
        return List.of(new CanonicalProduct(Sources.INVENTORY,
                product.requiredText("sku").trim().toUpperCase(Locale.ROOT),
                Fields.collapse(product.text("name")),
                Fields.collapse(product.text("category")),
                amount(product, "price"),
                amount(product, "unit_cost"),
                reorderPoint(product),
                Fields.version(product.time("updated_at")),
                raw.receivedAt()));
    }

    private static BigDecimal amount(JsonFields product, String name) {
        BigDecimal value = product.decimal(name);
        return value == null ? null : Money.requireAmount(value, product.path(name));
    }

    private static BigDecimal reorderPoint(JsonFields product) {
        BigDecimal value = product.decimal("reorder_point");
        if (value != null && value.signum() < 0) {
            throw new RejectedEventException("reorder_point must not be negative: " + value);
        }
        return value == null ? null : Money.requireCount(value, "reorder_point");
    }
}
