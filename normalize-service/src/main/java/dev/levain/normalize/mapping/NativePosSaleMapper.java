package dev.levain.normalize.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.pos.PosSale;
import dev.levain.events.pos.PosSaleLine;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where native POS sales become canonical sales. The raw topic is not trusted: everything the
 * ingest endpoint checks is checked again, since raw events can also be replayed or produced by
 * other tools.
 */
@ApplicationScoped
public class NativePosSaleMapper {

    private static final ObjectReader READER = Json.mapper().readerFor(PosSale.class);

    private final NormalizeConfig config;

    public NativePosSaleMapper(NormalizeConfig config) {
        this.config = config;
    }

    public CanonicalSale map(byte[] payload) {
        PosSale sale = parse(payload);
        String storeCode = required(sale.storeCode(), "store_code").trim().toUpperCase(Locale.ROOT);
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
        return new CanonicalSale(Sources.POS_NATIVE, storeCode + "/" + saleId, storeCode, sale.occurredAt(),
                sale.status() == null ? PosSale.STATUS_COMPLETED : sale.status(),
                sale.version() == null ? 0 : sale.version(),
                sale.currency() == null ? config.defaultCurrency() : sale.currency(),
                sale.customerEmail() == null ? null : sale.customerEmail().trim().toLowerCase(Locale.ROOT),
                lines, gross, discount, gross.subtract(discount));
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
        BigDecimal unitPrice = money(required(line.unitPrice(), at + ".unit_price"));
        BigDecimal discount = line.discount() == null ? BigDecimal.ZERO.setScale(2) : money(line.discount());
        if (qty.signum() <= 0 || unitPrice.signum() < 0 || discount.signum() < 0) {
            throw new RejectedEventException(at + " has a non-positive quantity or a negative amount");
        }
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

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal sum(List<BigDecimal> amounts) {
        return amounts.stream().reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }
}
