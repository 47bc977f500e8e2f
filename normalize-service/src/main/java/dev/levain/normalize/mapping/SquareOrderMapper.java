package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a Square order (the exact {@code order} object of the Orders API, money in minor units) becomes a
 * canonical sale and its refunds.
 *
 * <ul>
 * <li>State: {@code COMPLETED} → completed, {@code CANCELED} → voided; {@code OPEN} and {@code DRAFT} orders
 * give nothing (no sale has happened yet; the completed version follows, with a higher {@code version}).
 * The version is the order's {@code version}; occurred at {@code closed_at}, else {@code created_at}.</li>
 * <li>Lines: sku = {@code catalog_object_id} (upper-cased), else the upper-cased name as an unmapped sku;
 * qty = {@code quantity}; the line's amount before discount is {@code gross_sales_money} (base price plus
 * modifiers, × qty), else qty × {@code base_price_money}; discount = {@code total_discount_money} (Square
 * spreads order-level discounts over the lines).</li>
 * <li>Tax: Square's {@code total_tax_money} counts both kinds of tax. An ADDITIVE tax is added on top of
 * the price; an INCLUSIVE one is already part of {@code base_price_money} and {@code gross_sales_money}
 * (Square's OrderLineItemTaxType), so the line's {@code total_money} is its discounted amount with no tax
 * added. Since net sales never hold tax (DESIGN §4), each line is reduced by its inclusive tax: its net is
 * amount − discount − inclusive tax, exactly; its unit price is the tax-free share of the amount per unit,
 * rounded up to the cent, and the rounding remainder (under a cent per unit) goes into the line discount,
 * so gross − discount = net holds exactly and no discount is negative. A line's inclusive tax is the sum
 * of its {@code applied_taxes} whose order tax is INCLUSIVE; a line without {@code applied_taxes}
 * (order-scoped taxes) takes all its {@code total_tax_money} as inclusive when every tax of the order is
 * INCLUSIVE, none when none is, and is rejected when the order mixes both. The sale's tax is the order's
 * {@code total_tax_money}, reported apart, so net + tax is what the buyer paid before tips. Tips and
 * service charges are not sales.</li>
 * <li>Channel: delivery when a fulfillment is of type DELIVERY or SHIPMENT, else in_store.</li>
 * <li>Refunds: Square records a refund on a return order (its Orders API guide to returns and exchanges: both itemized
 * and custom refunds create one), whose {@code returns[].source_order_id} names the sale and whose
 * {@code refunds[]} hold the money. A return order (returns, no line items) gives no sale, only its
 * refunds of that sale; an unlinked return (no source order) gives nothing, having no sale to reduce.
 * {@code refunds[]} on an order with line items are refunds of that order. Each refund is versioned by its
 * order's {@code version}: completed for APPROVED (Square's Refund) or COMPLETED (its PaymentRefund),
 * pending for PENDING, failed for REJECTED or FAILED. Its amount is {@code amount_money} less its share of
 * tax, taken in the proportion tax / total of the order's {@code return_amounts} (else of the order's own
 * {@code total_tax_money} / {@code total_money}), rounded to the cent: net sales stay free of tax.</li>
 * <li>Returned products: the {@code return_line_items} of the order's {@code returns} become the lines of
 * its refunds (see {@code Returned}): units go back per product, and each refund's amount is spread over
 * them, so a product's refunds add up to what the refund gave back.</li>
 * </ul>
 */
@ApplicationScoped
public class SquareOrderMapper implements RawEventMapper {

    private static final Map<String, String> STATES = Map.of("COMPLETED", CanonicalSale.COMPLETED,
            "CANCELED", CanonicalSale.VOIDED);
    private static final Set<String> NOT_YET_SALES = Set.of("OPEN", "DRAFT");
    private static final Set<String> DELIVERY_TYPES = Set.of("DELIVERY", "SHIPMENT");
    private static final Map<String, String> REFUND_STATUSES = Map.of("APPROVED", CanonicalRefund.COMPLETED,
            "COMPLETED", CanonicalRefund.COMPLETED, "PENDING", "pending", "REJECTED", "failed", "FAILED", "failed");

    private final StoreDirectory stores;
    private final StoreDefaults defaults;

    public SquareOrderMapper(StoreDirectory stores, StoreDefaults defaults) {
        this.stores = stores;
        this.defaults = defaults;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_POS_SQUARE_ORDER);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        JsonFields order = JsonFields.parse(raw.payload(), "a Square order");
        String state = order.requiredText("state").trim().toUpperCase(Locale.ROOT);
        if (NOT_YET_SALES.contains(state)) {
            return List.of();
        }
        String status = STATES.get(state);
        if (status == null) {
            throw new RejectedEventException("state must be COMPLETED, CANCELED, OPEN or DRAFT, not " + state);
        }
        String storeCode = stores.storeCode(order.requiredText("location_id"));
        Order header = new Order(raw, order, order.requiredText("id").trim(), storeCode, version(order),
                currency(order, storeCode));
        List<CanonicalRecord> records = new ArrayList<>();
        List<JsonFields> returns = order.array("returns");
        boolean returnOrder = !returns.isEmpty() && order.array("line_items").isEmpty();
        if (!returnOrder) {
            records.add(sale(header, status));
        }
        String saleId = returnOrder ? sourceOrderId(returns) : header.id();
        if (saleId != null) {
            TaxShare taxShare = TaxShare.of(order, header.currency());
            Returned returned = Returned.of(returns, order.array("refunds"), header.currency());
            for (JsonFields refund : order.array("refunds")) {
                records.add(refund(header, refund, saleId, taxShare, returned));
            }
        }
        return List.copyOf(records);
    }

    /** What every record of one order shares. */
    private record Order(RawEnvelope raw, JsonFields json, String id, String storeCode, long version, String currency) {
    }

    /** The sale a return order gives money back for; null for an unlinked return (no sale to point at). */
    private static String sourceOrderId(List<JsonFields> returns) {
        String first = Fields.collapse(returns.get(0).text("source_order_id"));
        for (JsonFields other : returns.subList(1, returns.size())) {
            if (!Objects.equals(Fields.collapse(other.text("source_order_id")), first)) {
                throw new RejectedEventException(other.path("source_order_id") + " differs from returns[0]: "
                        + "the refunds of a return order must point at one sale");
            }
        }
        return first;
    }

    private static CanonicalSale sale(Order header, String status) {
        JsonFields order = header.json();
        String currency = header.currency();
        OffsetDateTime closedAt = order.time("closed_at");
        OffsetDateTime occurredAt = closedAt != null ? closedAt : order.requiredTime("created_at");
        Taxes taxes = Taxes.of(order);
        List<JsonFields> items = order.array("line_items");
        if (items.isEmpty()) {
            throw new RejectedEventException("line_items must hold at least one line");
        }
        List<CanonicalSaleLine> lines = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            lines.add(line(i, items.get(i), taxes, currency));
        }
        String customerId = order.text("customer_id");
        CustomerRef customer = customerId == null || customerId.isBlank() ? null
                : new CustomerRef(Sources.POS_SQUARE, customerId.trim(), null, null, null);
        Sales.Header sale = new Sales.Header(Sources.POS_SQUARE, header.id(), header.storeCode(), occurredAt, status,
                header.version(), header.raw().receivedAt(), currency, channel(order), customer);
        return Sales.sale(sale, lines, money(order, "total_tax_money", currency, false));
    }

    private static CanonicalSaleLine line(int index, JsonFields item, Taxes taxes, String currency) {
        BigDecimal qty = Money.requireQuantity(item.requiredDecimal("quantity"), item.path("quantity"));
        BigDecimal amount = item.object("gross_sales_money") != null ? money(item, "gross_sales_money", currency, true)
                : Money.money(qty.multiply(money(item, "base_price_money", currency, true)));
        BigDecimal discount = money(item, "total_discount_money", currency, false);
        BigDecimal included = taxes.included(item, currency);
        BigDecimal net = amount.subtract(discount).subtract(included);
        if (net.signum() < 0) {
            throw new RejectedEventException(item.path("total_discount_money")
                    + " and the included tax exceed the line amount");
        }
        BigDecimal unitPrice = taxFreeUnitPrice(qty, amount, amount.subtract(discount), net);
        BigDecimal lineDiscount = Money.money(qty.multiply(unitPrice)).subtract(net);
        while (lineDiscount.signum() < 0) {
            // Only a fractional quantity can round the line amount below its net: one more cent per unit.
            unitPrice = unitPrice.add(new BigDecimal("0.01"));
            lineDiscount = Money.money(qty.multiply(unitPrice)).subtract(net);
        }
        return new CanonicalSaleLine(index + 1, sku(item), name(item), qty, unitPrice, lineDiscount, net);
    }

    /**
     * The unit price without its inclusive tax: the amount scaled by net / (amount − discount), per unit,
     * rounded up so that the remainder lands in the discount, never below zero.
     */
    private static BigDecimal taxFreeUnitPrice(BigDecimal qty, BigDecimal amount, BigDecimal discounted,
                                               BigDecimal net) {
        BigDecimal taxFree = discounted.signum() == 0 ? amount
                : amount.multiply(net).divide(discounted, 10, RoundingMode.HALF_EVEN);
        return taxFree.divide(qty, 2, RoundingMode.CEILING);
    }

    private static String sku(JsonFields item) {
        String catalogId = item.text("catalog_object_id");
        if (catalogId != null && !catalogId.isBlank()) {
            return catalogId.trim().toUpperCase(Locale.ROOT);
        }
        String name = Fields.collapse(item.text("name"));
        return Fields.required(name, item.path("name") + " (the sku of a line without catalog_object_id)")
                .toUpperCase(Locale.ROOT);
    }

    private static String name(JsonFields item) {
        String name = Fields.collapse(item.text("name"));
        return name == null ? sku(item) : name;
    }

    private static String channel(JsonFields order) {
        for (JsonFields fulfillment : order.array("fulfillments")) {
            String type = fulfillment.text("type");
            if (type != null && DELIVERY_TYPES.contains(type.trim().toUpperCase(Locale.ROOT))) {
                return CanonicalSale.DELIVERY;
            }
        }
        return CanonicalSale.IN_STORE;
    }

    private CanonicalRefund refund(Order header, JsonFields refund, String saleId, TaxShare taxShare,
                                   Returned returned) {
        JsonFields order = header.json();
        String state = refund.requiredText("status").trim().toUpperCase(Locale.ROOT);
        String status = REFUND_STATUSES.get(state);
        if (status == null) {
            throw new RejectedEventException(refund.path("status")
                    + " must be APPROVED, COMPLETED, PENDING, REJECTED or FAILED, not " + state);
        }
        OffsetDateTime at = refund.time("created_at") != null ? refund.time("created_at")
                : order.time("updated_at") != null ? order.time("updated_at") : order.requiredTime("created_at");
        String location = refund.text("location_id");
        BigDecimal money = money(refund, "amount_money", header.currency(), true);
        BigDecimal amount = taxShare.withoutTax(money);
        return new CanonicalRefund(Sources.POS_SQUARE, refund.requiredText("id").trim(), Sources.POS_SQUARE, saleId,
                location == null || location.isBlank() ? header.storeCode() : stores.storeCode(location), at,
                amount, header.currency(), status, header.version(), header.raw().receivedAt(),
                returned.lines(money, amount));
    }

    /** One product given back by a return: its units and what it was sold for, net of tax (the weight of its share). */
    private record ReturnedItem(String sku, String name, BigDecimal qty, BigDecimal net) {
    }

    /**
     * The products a return order gives back ({@code returns[].return_line_items}) and the money its refunds
     * give back between them, all refunds but the failed ones ({@code refunded}).
     */
    private record Returned(List<ReturnedItem> items, BigDecimal refunded) {

        static Returned of(List<JsonFields> returns, List<JsonFields> refunds, String currency) {
            List<ReturnedItem> items = new ArrayList<>();
            for (JsonFields ret : returns) {
                for (JsonFields item : ret.array("return_line_items")) {
                    items.add(item(item, currency));
                }
            }
            BigDecimal refunded = Money.sum(refunds.stream()
                    .filter(refund -> !"failed".equals(REFUND_STATUSES.get(
                            Objects.requireNonNullElse(refund.text("status"), "").trim().toUpperCase(Locale.ROOT))))
                    .map(refund -> money(refund, "amount_money", currency, true))
                    .toList());
            return new Returned(List.copyOf(items), refunded);
        }

        /**
         * A returned line: units from {@code quantity}; its net is {@code total_money} − {@code total_tax_money}
         * (what was given back for it, tax of either kind taken off), else {@code gross_return_money} −
         * {@code total_discount_money}, else qty × {@code base_price_money}.
         */
        private static ReturnedItem item(JsonFields item, String currency) {
            BigDecimal qty = Money.requireQuantity(item.requiredDecimal("quantity"), item.path("quantity"));
            BigDecimal net;
            if (item.object("total_money") != null) {
                net = money(item, "total_money", currency, true).subtract(money(item, "total_tax_money", currency, false));
            } else if (item.object("gross_return_money") != null) {
                net = money(item, "gross_return_money", currency, true)
                        .subtract(money(item, "total_discount_money", currency, false));
            } else {
                net = Money.money(qty.multiply(money(item, "base_price_money", currency, true)));
            }
            if (net.signum() < 0) {
                throw new RejectedEventException(item.path("total_money") + " is less than its tax or discount");
            }
            return new ReturnedItem(sku(item), name(item), qty, net);
        }

        /**
         * The lines of one refund that gives back {@code money} ({@code amount} net of tax): each returned
         * product's units in the proportion money / refunded (all of them for the only refund of a return),
         * and the amount spread over the products by their net, the cent left by rounding on the last line,
         * so that the lines add up to the refund.
         */
        List<CanonicalRefundLine> lines(BigDecimal money, BigDecimal amount) {
            if (items.isEmpty()) {
                return List.of();
            }
            BigDecimal share = refunded.signum() == 0 || money.compareTo(refunded) >= 0 ? BigDecimal.ONE
                    : money.divide(refunded, 10, RoundingMode.HALF_EVEN);
            BigDecimal weights = Money.sum(items.stream().map(ReturnedItem::net).toList());
            List<CanonicalRefundLine> lines = new ArrayList<>(items.size());
            BigDecimal spread = Money.ZERO;
            for (int i = 0; i < items.size(); i++) {
                ReturnedItem item = items.get(i);
                BigDecimal part;
                if (i == items.size() - 1) {
                    part = amount.subtract(spread);
                } else if (weights.signum() == 0) {
                    part = Money.ZERO;
                } else {
                    part = amount.multiply(item.net()).divide(weights, 2, RoundingMode.HALF_EVEN);
                }
                spread = spread.add(part);
                BigDecimal qty = share == BigDecimal.ONE ? item.qty()
                        : item.qty().multiply(share).setScale(3, RoundingMode.HALF_EVEN);
                lines.add(new CanonicalRefundLine(i + 1, item.sku(), item.name(), qty, part));
            }
            return List.copyOf(lines);
        }
    }

    private static long version(JsonFields order) {
        Long version = order.wholeNumber("version");
        if (version != null && version < 0) {
            throw new RejectedEventException("version must not be negative");
        }
        return version == null ? 0 : version;
    }

    /** The order's currency: that of {@code total_money}, else the store's. */
    private String currency(JsonFields order, String storeCode) {
        JsonFields total = order.object("total_money");
        String code = total == null ? null : total.text("currency");
        return defaults.saleCurrency(storeCode, code, "total_money.currency");
    }

    /** A Square {@code Money} object in the order's currency; zero when absent and not required. */
    static BigDecimal money(JsonFields parent, String name, String currency, boolean required) {
        JsonFields money = required ? parent.requiredObject(name) : parent.object(name);
        if (money == null) {
            return Money.ZERO;
        }
        String code = money.text("currency");
        if (code != null && !code.trim().equalsIgnoreCase(currency)) {
            throw new RejectedEventException(money.path("currency") + " is " + code + ", not the order's " + currency);
        }
        return Money.fromMinorUnits(Fields.required(money.wholeNumber("amount"), money.path("amount")), currency,
                money.path("amount"));
    }

    /**
     * The share of tax in the money an order's refunds give back: the tax over the total of its
     * {@code return_amounts} (a return order), else of the order itself, so refunds leave net sales
     * net of tax as sales are.
     */
    private record TaxShare(BigDecimal tax, BigDecimal total) {

        static TaxShare of(JsonFields order, String currency) {
            JsonFields returned = order.object("return_amounts");
            if (returned != null) {
                return new TaxShare(money(returned, "tax_money", currency, false),
                        money(returned, "total_money", currency, false));
            }
            return new TaxShare(money(order, "total_tax_money", currency, false),
                    money(order, "total_money", currency, false));
        }

        BigDecimal withoutTax(BigDecimal refunded) {
            if (total.signum() == 0 || tax.signum() == 0) {
                return refunded;
            }
            return refunded.subtract(refunded.multiply(tax).divide(total, 2, RoundingMode.HALF_EVEN));
        }
    }

    /** The order's taxes by uid, to tell a line's inclusive tax from its additive tax. */
    private record Taxes(Map<String, Boolean> inclusiveByUid, boolean allInclusive, boolean noneInclusive) {

        static Taxes of(JsonFields order) {
            Map<String, Boolean> inclusive = order.array("taxes").stream()
                    .filter(tax -> tax.text("uid") != null)
                    .collect(Collectors.toMap(tax -> tax.text("uid"), Taxes::isInclusive, (a, b) -> a || b));
            List<Boolean> kinds = order.array("taxes").stream().map(Taxes::isInclusive).toList();
            return new Taxes(inclusive, !kinds.isEmpty() && !kinds.contains(false), !kinds.contains(true));
        }

        private static boolean isInclusive(JsonFields tax) {
            return "INCLUSIVE".equalsIgnoreCase(tax.text("type"));
        }

        BigDecimal included(JsonFields item, String currency) {
            List<JsonFields> applied = item.array("applied_taxes");
            if (!applied.isEmpty()) {
                return Money.sum(applied.stream()
                        .filter(tax -> inclusiveByUid.getOrDefault(tax.requiredText("tax_uid"), false))
                        .map(tax -> money(tax, "applied_money", currency, true))
                        .toList());
            }
            if (noneInclusive) {
                return Money.ZERO;
            }
            if (allInclusive) {
                return money(item, "total_tax_money", currency, false);
            }
            throw new RejectedEventException(item.path("applied_taxes")
                    + " is required to tell inclusive from additive tax when the order has both");
        }
    }
}
