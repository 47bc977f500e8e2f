package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a sale from a POS CSV export (the header line and the sale's rows, one per line) becomes a
 * canonical sale, with the conventions of the native format. A date-time without an offset is read in
 * the store's configured time zone, else {@code levain.normalize.default-store-timezone}: the normalizer's
 * side of ingest's {@code levain.ingest.pos.csv.default-timezone}, so both must name the same zone. A
 * CSV export has no version: a sale uploaded again is ordered by when ingest received it.
 */
@ApplicationScoped
public class PosCsvSaleMapper implements RawEventMapper {

    private static final List<String> REQUIRED = List.of("store_code", "sale_id", "occurred_at", "sku", "quantity",
            "unit_price");
    /** Values every row of one sale repeats: they describe the sale, not the line. */
    private static final List<String> PER_SALE = List.of("store_code", "sale_id", "occurred_at", "customer_email",
            "currency", "status");

    private final StoreDirectory stores;
    private final StoreDefaults defaults;

    public PosCsvSaleMapper(StoreDirectory stores, StoreDefaults defaults) {
        this.stores = stores;
        this.defaults = defaults;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_POS_CSV_SALE);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        CsvTable table = CsvTable.read(raw.payload(), REQUIRED);
        requireOneSale(table);
        String storeCode = stores.storeCode(Fields.required(table.value(0, "store_code"), first("store_code")));
        String saleId = Fields.required(table.value(0, "sale_id"), first("sale_id")).trim();
        OffsetDateTime occurredAt = Fields.dateTime(table.value(0, "occurred_at"), defaults.zone(storeCode),
                first("occurred_at"));
        List<CanonicalSaleLine> lines = new ArrayList<>(table.size());
        for (int row = 0; row < table.size(); row++) {
            lines.add(Sales.line(row, "rows[" + row + "]", table.value(row, "sku"), table.value(row, "name"),
                    table.decimal(row, "quantity"), table.decimal(row, "unit_price"), table.decimal(row, "discount")));
        }
        Sales.Header header = new Sales.Header(Sources.POS_CSV, storeCode + "/" + saleId, storeCode, occurredAt,
                Sales.status(table.value(0, "status"), first("status")), 0, raw.receivedAt(),
                defaults.saleCurrency(storeCode, table.value(0, "currency"), first("currency")),
                CanonicalSale.IN_STORE,
                Sales.customerByEmail(Sources.POS_CSV, table.value(0, "customer_email"), first("customer_email")));
        return List.of(Sales.sale(header, lines, Money.ZERO));
    }

    /** How a rejection names a per-sale value: the first row's (every row repeats it). */
    private static String first(String column) {
        return CsvTable.field(0, column);
    }

    /** Ingest groups consecutive rows by store and sale id; rows that disagree are not one sale. */
    private static void requireOneSale(CsvTable table) {
        for (int row = 1; row < table.size(); row++) {
            for (String column : PER_SALE) {
                if (!table.value(row, column).trim().equals(table.value(0, column).trim())) {
                    throw new RejectedEventException(CsvTable.field(row, column)
                            + " differs from rows[0] of the same sale");
                }
            }
        }
    }
}
