package dev.levain.normalize.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.pos.PosSale;
import dev.levain.events.pos.PosSaleLine;
import dev.levain.events.EventTypes;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

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
    private static final Set<String> STATUSES = Set.of(PosSale.STATUS_COMPLETED, PosSale.STATUS_VOIDED);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("99999999999.999");

    private final NormalizeConfig config;
    private final StoreDirectory stores;

    public NativePosSaleMapper(NormalizeConfig config, StoreDirectory stores) {
        this.config = config;
        this.stores = stores;
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
        String storeCode = stores.storeCode(required(sale.storeCode(), "store_code"));
        String saleId = required(sale.saleId(), "sale_id").trim();
        if (sale.occurredAt() == null) {
            throw new RejectedEventException("occurred_at is required");
        }
        if (sale.lines() == null || sale.lines().isEmpty()) {
            throw new RejectedEventException("lines must hold at least one line");
        }
        List<CanonicalSaleLine> lines = new ArrayList<>();
        for (int i = 0; i < sale.lines().size(); i++) {
            lines.add(line(i, sale.lines().get(i)));
        }
        BigDecimal gross = sum(lines.stream().map(l -> money(l.qty().multiply(l.unitPrice()))).toList());
        BigDecimal discount = sum(lines.stream().map(CanonicalSaleLine::discount).toList());
        requireAmount(gross, "gross");
        return new CanonicalSale(Sources.POS_NATIVE, storeCode + "/" + saleId, storeCode, sale.occurredAt(),
                status(sale.status()), version(sale.version()), receivedAt == null ? Instant.EPOCH : receivedAt,
                currency(sale.currency()), CanonicalSale.IN_STORE, customer(sale.customerEmail()),
                lines, gross, discount, BigDecimal.ZERO.setScale(2), gross.subtract(discount));
    }

    private static CustomerRef customer(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        return new CustomerRef(Sources.POS_NATIVE, null, email.trim().toLowerCase(Locale.ROOT), null, null);
    }

    private static String status(String status) {
        String normalized = status == null ? PosSale.STATUS_COMPLETED : status.trim().toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(normalized)) {
            throw new RejectedEventException("status must be one of " + STATUSES + ", not " + status);
        }
        return normalized;
    }

    private static long version(Long version) {
        if (version != null && version < 0) {
            throw new RejectedEventException("version must not be negative");
        }
        return version == null ? 0 : version;
    }

    private String currency(String currency) {
        String normalized = currency == null ? config.defaultCurrency() : currency.trim().toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(normalized).matches()) {
            throw new RejectedEventException("currency must be an ISO-4217 code, not " + currency);
        }
        return normalized;
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
        String sku = required(line.sku(), at + ".sku").trim().toUpperCase(Locale.ROOT);
        BigDecimal qty = required(line.quantity(), at + ".quantity");
        if (qty.signum() <= 0 || qty.stripTrailingZeros().scale() > 3 || qty.compareTo(MAX_QUANTITY) > 0) {
            throw new RejectedEventException(at + ".quantity must be positive, below 10^11, with at most 3 decimals");
        }
        BigDecimal unitPrice = requireAmount(required(line.unitPrice(), at + ".unit_price"), at + ".unit_price");
        BigDecimal discount = line.discount() == null ? BigDecimal.ZERO.setScale(2)
                : requireAmount(line.discount(), at + ".discount");
        BigDecimal net = money(qty.multiply(unitPrice)).subtract(discount);
        if (net.signum() < 0) {
            throw new RejectedEventException(at + ".discount exceeds the line amount");
        }
        String name = line.name() == null || line.name().isBlank() ? sku : line.name().trim();
        return new CanonicalSaleLine(index + 1, sku, name, qty, unitPrice, discount, net);
    }

    private static <T> T required(T value, String field) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new RejectedEventException(field + " is required");
        }
        return value;
    }

    /** A money amount as stored: non-negative, at most 2 decimals, fits numeric(14,2). */
    private static BigDecimal requireAmount(BigDecimal amount, String field) {
        if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 2 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new RejectedEventException(field + " must be a non-negative amount below 10^12 with at most 2 decimals");
        }
        return money(amount);
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal sum(List<BigDecimal> amounts) {
        return amounts.stream().reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }
}
