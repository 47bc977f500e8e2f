package dev.levain.alert.repository;

import static dev.levain.alert.repository.Sql.instant;
import static dev.levain.alert.repository.Sql.number;
import static dev.levain.alert.repository.Sql.text;

import dev.levain.events.inventory.InventoryChanged;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** {@code alerts.stock_level} and {@code alerts.store_activity}: the newest facts the rules read. */
@ApplicationScoped
public class StockRepository {

    // Replays and late arrivals of older versions leave the newer level in place.
    private static final String UPSERT_IF_NEWER = """
            INSERT INTO alerts.stock_level (store_code, sku, product_name, on_hand, reorder_point, version, as_of)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_code, sku) DO UPDATE SET product_name = EXCLUDED.product_name,
                on_hand = EXCLUDED.on_hand, reorder_point = EXCLUDED.reorder_point, version = EXCLUDED.version,
                as_of = EXCLUDED.as_of
            WHERE alerts.stock_level.version < EXCLUDED.version""";

    private final Sql sql;

    public StockRepository(Sql sql) {
        this.sql = sql;
    }

    /** Stores the level unless a newer version of this product × store is already there; returns whether it was stored. */
    public boolean storeIfNewer(InventoryChanged level) {
        return sql.update(UPSERT_IF_NEWER, level.storeCode(), level.sku(), text(level.productName()), level.onHand(),
                number(level.reorderPoint()), level.version(),
                instant(level.asOf() == null ? null : level.asOf().toInstant())) == 1;
    }

    public void saleSeen(String storeCode, Instant at) {
        sql.update("INSERT INTO alerts.store_activity (store_code, last_sale_at) VALUES (?, ?) ON CONFLICT (store_code) "
                + "DO UPDATE SET last_sale_at = GREATEST(alerts.store_activity.last_sale_at, EXCLUDED.last_sale_at)",
                storeCode, at);
    }
}
