package dev.levain.devstack.simulator.square;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.events.Json;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * PanPan's sales as Square orders: a store, a basket that follows the hour (viennoiseries and coffee in
 * the morning rush, sandwiches at noon, bread and pastries otherwise), two customers in three identified
 * from a pool of returning ones. Money in cents, as Square carries it.
 */
final class SquareSales {

    static final String CURRENCY = "EUR";
    // French VAT on bakery products, included in the shelf price.
    private static final int VAT_PER_MILLE = 55;

    private final ObjectMapper mapper = Json.mapper();
    private final Random random;

    SquareSales(Random random) {
        this.random = random;
    }

    /** One sale: the order as the Orders API returns it, and the id of its card payment. */
    record Order(String id, String locationId, String paymentId, String customerId, long totalCents,
                 Instant createdAt, Instant updatedAt, byte[] json) {
    }

    Order next(Instant now) {
        return next(now, PanPanCatalog.STORES.get(random.nextInt(PanPanCatalog.STORES.size())));
    }

    /** One sale at {@code store}, opened at {@code now}. */
    Order next(Instant now, PanPanCatalog.Store store) {
        String orderId = SquareIds.next(random);
        String paymentId = SquareIds.next(random);
        String customerId = customer();
        LocalTime local = LocalTime.ofInstant(now, ZoneId.of(store.timezone()));
        Instant paidAt = now.plusMillis(1 + random.nextInt(900));

        ObjectNode order = mapper.createObjectNode();
        order.put("id", orderId);
        order.put("location_id", store.squareId());
        order.putObject("source").put("name", "Square Point of Sale");
        if (customerId != null) {
            order.put("customer_id", customerId);
        }
        ArrayNode lines = order.putArray("line_items");
        long total = 0;
        long tax = 0;
        for (PanPanCatalog.Product product : basket(local)) {
            int quantity = 1 + random.nextInt(3);
            long gross = product.priceCents() * quantity;
            long lineTax = Math.round(gross * VAT_PER_MILLE / (1000.0 + VAT_PER_MILLE));
            ObjectNode line = lines.addObject();
            line.put("uid", SquareIds.next(random));
            line.put("name", product.name());
            line.put("quantity", Integer.toString(quantity));
            // The simulator's catalog object ids are PanPan's SKUs.
            line.put("catalog_object_id", product.sku());
            line.put("variation_name", "Regular");
            money(line, "base_price_money", product.priceCents());
            money(line, "gross_sales_money", gross);
            money(line, "total_tax_money", lineTax);
            money(line, "total_discount_money", 0);
            money(line, "total_money", gross);
            total += gross;
            tax += lineTax;
        }
        ObjectNode vat = order.putArray("taxes").addObject();
        vat.put("uid", "TVA").put("name", "TVA").put("percentage", "5.5").put("type", "INCLUSIVE")
                .put("scope", "ORDER");
        money(order, "total_money", total);
        money(order, "total_tax_money", tax);
        money(order, "total_discount_money", 0);
        money(order, "total_tip_money", 0);
        ObjectNode tender = order.putArray("tenders").addObject();
        tender.put("id", paymentId);
        tender.put("location_id", store.squareId());
        tender.put("type", "CARD");
        money(tender, "amount_money", total);
        tender.put("payment_id", paymentId);
        order.put("state", "COMPLETED");
        // Version 1 when the order opened, 2 once paid and closed.
        order.put("version", 2);
        order.put("created_at", now.toString());
        order.put("updated_at", paidAt.toString());
        order.put("closed_at", paidAt.toString());
        try {
            return new Order(orderId, store.squareId(), paymentId, customerId, total, now, paidAt,
                    mapper.writeValueAsBytes(order));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }

    private List<PanPanCatalog.Product> basket(LocalTime local) {
        List<String> categories = rush(local)
                ? List.of("viennoiserie", "viennoiserie", "boissons", "bread")
                : lunch(local) ? List.of("snacking", "boissons", "patisserie") : List.of("bread", "patisserie", "bread");
        int count = 1 + random.nextInt(4);
        List<PanPanCatalog.Product> basket = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String category = categories.get(random.nextInt(categories.size()));
            List<PanPanCatalog.Product> shelf = PanPanCatalog.PRODUCTS.stream()
                    .filter(p -> p.category().equals(category)).toList();
            PanPanCatalog.Product product = shelf.get(random.nextInt(shelf.size()));
            if (!basket.contains(product)) {
                basket.add(product);
            }
        }
        return basket;
    }

    /** How many sales a tick makes at this store-local time: the morning rush triples the pace. */
    int salesPerTick(LocalTime local) {
        if (rush(local)) {
            return 2 + random.nextInt(2);
        }
        return lunch(local) ? 1 + random.nextInt(2) : 1;
    }

    private static boolean rush(LocalTime local) {
        return !local.isBefore(LocalTime.of(7, 0)) && local.isBefore(LocalTime.of(9, 30));
    }

    private static boolean lunch(LocalTime local) {
        return !local.isBefore(LocalTime.of(11, 45)) && local.isBefore(LocalTime.of(14, 0));
    }

    /** Two customers in three are identified; most of them come back from a small pool. */
    private String customer() {
        if (random.nextInt(3) == 0) {
            return null;
        }
        int pool = random.nextInt(4) == 0 ? PanPanCatalog.CUSTOMERS.size() : 40;
        PanPanCatalog.Customer customer = PanPanCatalog.CUSTOMERS.get(random.nextInt(pool));
        return squareCustomerId(customer);
    }

    /** The Square customer id of a PanPan customer (Square's own ids are opaque; these stay readable). */
    static String squareCustomerId(PanPanCatalog.Customer customer) {
        return "SQC" + customer.crmId().replace("CRM-", "").toUpperCase(Locale.ROOT);
    }

    private static void money(ObjectNode parent, String field, long cents) {
        parent.putObject(field).put("amount", cents).put("currency", CURRENCY);
    }
}
