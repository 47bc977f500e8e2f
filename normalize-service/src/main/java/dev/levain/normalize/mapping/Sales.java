package dev.levain.normalize.mapping;

import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/** Building canonical sales the same way from every POS format: lines checked, totals computed. */
final class Sales {

    private static final List<String> STATUSES = List.of(CanonicalSale.COMPLETED, CanonicalSale.VOIDED);

    private Sales() {
    }

    /** What a sale's header says, before its lines. */
    record Header(String source, String sourceId, String storeCode, OffsetDateTime occurredAt, String status,
                  long version, Instant receivedAt, String currency, String channel, CustomerRef customer) {
    }

    /**
     * A line from a POS that states qty × unit price and a discount (native JSON, CSV): sku upper-cased,
     * amounts checked, the name whitespace-standardized or else the sku.
     */
    static CanonicalSaleLine line(int index, String at, String sku, String name, BigDecimal qty, BigDecimal unitPrice,
                                  BigDecimal discount) {
        String code = Fields.required(sku, at + ".sku").trim().toUpperCase(Locale.ROOT);
        BigDecimal quantity = Money.requireQuantity(Fields.required(qty, at + ".quantity"), at + ".quantity");
        BigDecimal price = Money.requireAmount(Fields.required(unitPrice, at + ".unit_price"), at + ".unit_price");
        BigDecimal off = discount == null ? Money.ZERO : Money.requireAmount(discount, at + ".discount");
        BigDecimal net = Money.money(quantity.multiply(price)).subtract(off);
        if (net.signum() < 0) {
            throw new RejectedEventException(at + ".discount exceeds the line amount");
        }
        String label = Fields.collapse(name);
        return new CanonicalSaleLine(index + 1, code, label == null ? code : label, quantity, price, off, net);
    }

    /** The sale with its totals: gross = Σ qty × unit price, discount = Σ line discounts, net = gross − discount. */
    static CanonicalSale sale(Header header, List<CanonicalSaleLine> lines, BigDecimal tax) {
        if (lines.isEmpty()) {
            throw new RejectedEventException("lines must hold at least one line");
        }
        BigDecimal gross = Money.sum(lines.stream().map(l -> Money.money(l.qty().multiply(l.unitPrice()))).toList());
        BigDecimal discount = Money.sum(lines.stream().map(CanonicalSaleLine::discount).toList());
        Money.requireAmount(gross, "gross");
        return new CanonicalSale(header.source(), header.sourceId(), header.storeCode(), header.occurredAt(),
                header.status(), header.version(), header.receivedAt() == null ? Instant.EPOCH : header.receivedAt(),
                header.currency(), header.channel(), header.customer(), List.copyOf(lines), gross, discount,
                Money.money(tax), gross.subtract(discount));
    }

    /** {@code completed} (the default) or {@code voided}, case-insensitive. */
    static String status(String status, String field) {
        String normalized = status == null || status.isBlank() ? CanonicalSale.COMPLETED
                : status.trim().toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(normalized)) {
            throw new RejectedEventException(field + " must be one of " + STATUSES + ", not " + status);
        }
        return normalized;
    }

    /** The buyer as far as an e-mail says; null for an anonymous sale. */
    static CustomerRef customerByEmail(String source, String email, String field) {
        String normalized = Fields.email(email, field);
        return normalized == null ? null : new CustomerRef(source, null, normalized, null, null);
    }
}
