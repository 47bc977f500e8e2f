package dev.levain.normalize.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.pos.PosSale;
import dev.levain.events.pos.PosSaleLine;
import dev.levain.events.EventTypes;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where native POS sales become canonical sales. The raw topic is not trusted: what the ingest
 * endpoint checks is checked again, since raw events can also be replayed or produced by other
 * tools.
 *
 * <p>Versions of a sale are ordered by its {@code version} (0 when it has none), then by when
 * ingest received it: a later correction replaces the sale, a redelivery of the same record
 * changes nothing.
 */
@ApplicationScoped
public class NativePosSaleMapper implements RawEventMapper {

    private static final ObjectReader READER = Json.mapper().readerFor(PosSale.class);

    private final StoreDirectory stores;
    private final StoreDefaults defaults;

    public NativePosSaleMapper(StoreDirectory stores, StoreDefaults defaults) {
        this.stores = stores;
        this.defaults = defaults;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_POS_SALE);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        return List.of(map(raw.payload(), raw.receivedAt()));
    }

    /** The canonical sale in {@code payload}, received by ingest at {@code receivedAt}. */
    public CanonicalSale map(byte[] payload, Instant receivedAt) {
        PosSale sale = parse(payload);
        String storeCode = stores.storeCode(Fields.required(sale.storeCode(), "store_code"));
        String saleId = Fields.required(sale.saleId(), "sale_id").trim();
        Fields.required(sale.occurredAt(), "occurred_at");
        if (sale.lines() == null || sale.lines().isEmpty()) {
            throw new RejectedEventException("lines must hold at least one line");
        }
        List<CanonicalSaleLine> lines = new ArrayList<>();
        for (int i = 0; i < sale.lines().size(); i++) {
            lines.add(line(i, sale.lines().get(i)));
        }
        Sales.Header header = new Sales.Header(Sources.POS_NATIVE, storeCode + "/" + saleId, storeCode,
                sale.occurredAt(), Sales.status(sale.status(), "status"), version(sale.version()), receivedAt,
                defaults.saleCurrency(storeCode, sale.currency(), "currency"), CanonicalSale.IN_STORE,
                Sales.customerByEmail(Sources.POS_NATIVE, sale.customerEmail(), "customer_email"));
        return Sales.sale(header, lines, Money.ZERO);
    }

    private static long version(Long version) {
        if (version != null && version < 0) {
            throw new RejectedEventException("version must not be negative");
        }
        return version == null ? 0 : version;
    }

    private static PosSale parse(byte[] payload) {
        try {
            PosSale sale = READER.readValue(payload);
            if (sale == null) {
                throw new RejectedEventException("payload is JSON null");
            }
            return sale;
        } catch (JsonProcessingException e) {
            throw new RejectedEventException("payload is not a native POS sale: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
    }

    private static CanonicalSaleLine line(int index, PosSaleLine line) {
        String at = "lines[" + index + "]";
        if (line == null) {
            throw new RejectedEventException(at + " is null");
        }
        return Sales.line(index, at, line.sku(), line.name(), line.quantity(), line.unitPrice(), line.discount());
    }
}
