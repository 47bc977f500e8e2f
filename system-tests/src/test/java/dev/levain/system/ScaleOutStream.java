package dev.levain.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.levain.events.CloudEvents;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A seeded stream of raw events over every raw topic, as ingest publishes them, and what the model must make of it. */
final class ScaleOutStream {

    /** A store as master data gives it: code, zone, the Square location id that aliases it. */
    record Store(String code, String name, String zone, String squareLocation) {
    }

    record Product(String sku, String name, String category, BigDecimal price, BigDecimal unitCost,
                   int reorderPoint) {
    }

    /** One version of a sale as the normalizer must read it. */
    record SaleFact(String source, String sourceId, long version, String status, BigDecimal net) {
    }

    /** One version of a Square refund. */
    record RefundFact(String sourceId, String saleSourceId, long version, String status) {
    }

    /** One Kafka record, and what it tells the model: identities of one person, a sale version, a refund version. */
    record Event(String topic, String key, Map<String, String> headers, byte[] payload, List<String> identities,
                 SaleFact sale, RefundFact refund) {

        Instant receivedAt() {
            return Instant.parse(headers.get(CloudEvents.header(CloudEvents.RECEIVED_AT)));
        }
    }

    /**
     * What the model must hold: each sale's last version ({@code source|id} to {@code version|status|net}),
     * each refund's ({@code id} to {@code sale|version|status|linked}), and the customers as the sets of
     * identities that records tie together.
     */
    record Expected(Map<String, String> sales, Map<String, String> refunds, Set<String> customers) {
    }

    static final List<Store> STORES = List.of(
            new Store("SO-PARIS", "Paris Bastille", "Europe/Paris", "LSOPARIS01"),
            new Store("SO-LYON", "Lyon Croix-Rousse", "Europe/Paris", "LSOLYON02"),
            new Store("SO-REUNION", "Saint-Denis", "Indian/Reunion", "LSOREUNION3"));

    static final List<Product> PRODUCTS = List.of(
            product("SO-BAGUETTE", "Baguette tradition", "Pain", "1.30", "0.38", 20),
            product("SO-CAMPAGNE", "Pain de campagne", "Pain", "4.20", "1.10", 8),
            product("SO-SEIGLE", "Pain de seigle", "Pain", "3.80", "1.05", 6),
            product("SO-CROISSANT", "Croissant au beurre", "Viennoiserie", "1.40", "0.42", 24),
            product("SO-CHOCOLATINE", "Pain au chocolat", "Viennoiserie", "1.50", "0.47", 24),
            product("SO-BRIOCHE", "Brioche", "Viennoiserie", "6.50", "1.90", 4),
            product("SO-CHAUSSON", "Chausson aux pommes", "Viennoiserie", "2.10", "0.61", 10),
            product("SO-ECLAIR", "Éclair au café", "Pâtisserie", "3.40", "1.02", 8),
            product("SO-TARTE", "Tarte aux fraises", "Pâtisserie", "22.00", "7.50", 2),
            product("SO-FLAN", "Flan pâtissier", "Pâtisserie", "3.10", "0.88", 6),
            product("SO-MACARON", "Macaron", "Pâtisserie", "1.90", "0.55", 30),
            product("SO-SANDWICH", "Jambon-beurre", "Snacking", "5.50", "2.10", 10),
            product("SO-QUICHE", "Quiche lorraine", "Snacking", "4.60", "1.70", 6),
            product("SO-SALADE", "Salade du jour", "Snacking", "7.90", "3.20", 4),
            product("SO-JUS", "Jus d'orange pressé", "Boissons", "3.80", "1.20", 12),
            product("SO-CAFE", "Café", "Boissons", "1.80", "0.25", 0));

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 5);
    private static final int DAYS = 7;
    private static final Instant FIRST_RECEIPT = Instant.parse("2026-10-14T06:00:00Z");
    private static final String CRM_TENANT = "panpan";
    private static final String SQUARE_MERCHANT = "MLSCALEOUT";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    /** Positions of first versions spread over [0, SPAN); later versions, duplicates and contacts follow them. */
    private static final double SPAN = 1000;
    private static final double FIRST_SLICE = 0.62;
    /** Persons 0..89 buy at the tills by e-mail; 60..119 are Square customers. */
    private static final int NATIVE_BUYERS = 90;
    private static final int FIRST_SQUARE_BUYER = 60;
    private static final int PERSONS = 120;

    private final List<Event> catalog;
    private final List<Event> firstSlice;
    private final List<Event> secondSlice;

    private ScaleOutStream(List<Event> catalog, List<Event> firstSlice, List<Event> secondSlice) {
        this.catalog = catalog;
        this.firstSlice = firstSlice;
        this.secondSlice = secondSlice;
    }

    /**
     * The stream for {@code seed}: {@code nativeSales} till sales (buyers by e-mail, corrections that change lines
     * or move a sale past midnight, voids, a first version received again after its correction, exact
     * redeliveries), {@code squareOrders} Square orders (OPEN before COMPLETED, corrections, cancellations,
     * deliveries) and return orders whose refunds come before or after their sale, some pending then approved or
     * rejected; Square customers and CRM contacts whose e-mail is one customer's and phone another's, placed
     * beside those customers' sales; stock counts per product and store with late older counts, corrections
     * counted at the same instant and redeliveries, in JSON and XML. The catalog comes apart, first, so that
     * every sale line has its cost.
     *
     * <p>A sale's versions never name a buyer its last version does not (a correction may only add the buyer to
     * an anonymous sale), so which customers exist does not depend on how versions fall into batches.
     */
    static ScaleOutStream generate(long seed, int nativeSales, int squareOrders) {
        Builder builder = new Builder(new Random(seed));
        for (int i = 0; i < nativeSales; i++) {
            builder.nativeSale(i);
        }
        for (int i = 0; i < squareOrders; i++) {
            builder.squareOrder(i);
        }
        builder.customers();
        for (Store store : STORES) {
            for (Product product : PRODUCTS) {
                builder.stockCounts(store, product);
            }
        }
        List<Event> catalog = builder.catalog();
        List<Event> stream = builder.build(catalog.size());
        int split = (int) (stream.size() * FIRST_SLICE);
        return new ScaleOutStream(catalog, List.copyOf(stream.subList(0, split)),
                List.copyOf(stream.subList(split, stream.size())));
    }

    /** The catalog: one product event per SKU, received before anything else. */
    List<Event> catalog() {
        return catalog;
    }

    List<Event> firstSlice() {
        return firstSlice;
    }

    List<Event> secondSlice() {
        return secondSlice;
    }

    /** The store master data the normalizer is started with, as properties. */
    static String storeProperties() {
        StringBuilder properties = new StringBuilder();
        for (Store store : STORES) {
            String prefix = "levain.normalize.stores.\"" + store.code() + "\".";
            properties.append(prefix).append("name=").append(store.name()).append('\n')
                    .append(prefix).append("timezone=").append(store.zone()).append('\n')
                    .append(prefix).append("currency=EUR\n")
                    .append(prefix).append("aliases=").append(store.squareLocation()).append('\n');
        }
        return properties.toString();
    }

    /** What the model must hold once {@code events} (a prefix of the stream, catalog included) are normalized. */
    static Expected expected(List<Event> events) {
        Map<String, SaleFact> sales = new TreeMap<>();
        Map<String, RefundFact> refunds = new TreeMap<>();
        Map<String, String> parents = new HashMap<>();
        for (Event event : events) {
            if (event.sale() != null) {
                sales.merge(event.sale().source() + "|" + event.sale().sourceId(), event.sale(),
                        (stored, next) -> next.version() >= stored.version() ? next : stored);
            }
            if (event.refund() != null) {
                refunds.merge(event.refund().sourceId(), event.refund(),
                        (stored, next) -> next.version() >= stored.version() ? next : stored);
            }
            List<String> identities = event.identities();
            for (String identity : identities) {
                union(parents, identities.get(0), identity);
            }
        }
        Map<String, String> expectedSales = new TreeMap<>();
        sales.forEach((key, sale) -> expectedSales.put(key, sale.version() + "|" + sale.status() + "|"
                + sale.net().setScale(2).toPlainString()));
        Map<String, String> expectedRefunds = new TreeMap<>();
        refunds.forEach((id, refund) -> expectedRefunds.put(id, refund.saleSourceId() + "|" + refund.version() + "|"
                + refund.status() + "|" + sales.containsKey(Sources.POS_SQUARE + "|" + refund.saleSourceId())));
        Map<String, TreeSet<String>> components = new HashMap<>();
        for (String identity : parents.keySet()) {
            components.computeIfAbsent(root(parents, identity), r -> new TreeSet<>()).add(identity);
        }
        Set<String> customers = components.values().stream().map(c -> String.join(" ", c))
                .collect(Collectors.toCollection(TreeSet::new));
        return new Expected(expectedSales, expectedRefunds, customers);
    }

    private static void union(Map<String, String> parents, String a, String b) {
        parents.putIfAbsent(a, a);
        parents.putIfAbsent(b, b);
        String ra = root(parents, a);
        String rb = root(parents, b);
        if (!ra.equals(rb)) {
            parents.put(rb, ra);
        }
    }

    private static String root(Map<String, String> parents, String identity) {
        String parent = parents.get(identity);
        return parent.equals(identity) ? identity : root(parents, parent);
    }

    static String email(int person) {
        return "client" + person + "@scale-out.example";
    }

    static String phone(int person) {
        return "+3361" + String.format(Locale.ROOT, "%07d", 1000 + person);
    }

    private static Product product(String sku, String name, String category, String price, String cost, int reorder) {
        return new Product(sku, name, category, new BigDecimal(price), new BigDecimal(cost), reorder);
    }

    /** A line of a sale: quantity of a product at its price, with a discount. */
    private record Line(Product product, int qty, BigDecimal discount) {

        BigDecimal net() {
            return product.price().multiply(BigDecimal.valueOf(qty)).subtract(discount);
        }

        long amountCents() {
            return product.price().movePointRight(2).longValueExact() * qty;
        }

        long discountCents() {
            return discount.movePointRight(2).longValueExact();
        }
    }

    /** An event before its place in the stream (and so its receipt time) is known. */
    private static final class Draft {

        final double at;
        final long sequence;
        final String topic;
        final String key;
        final String type;
        final String source;
        final String id;
        final String time;
        final String contentType;
        final byte[] payload;
        final List<String> identities;
        final SaleFact sale;
        final RefundFact refund;
        /** The draft this one delivers again with the very same headers (a producer retry), or null. */
        final Draft sameDeliveryAs;
        Map<String, String> headers;

        Draft(double at, long sequence, String topic, String key, String type, String source, String id, String time,
              String contentType, byte[] payload, List<String> identities, SaleFact sale, RefundFact refund,
              Draft sameDeliveryAs) {
            this.at = at;
            this.sequence = sequence;
            this.topic = topic;
            this.key = key;
            this.type = type;
            this.source = source;
            this.id = id;
            this.time = time;
            this.contentType = contentType;
            this.payload = payload;
            this.identities = identities;
            this.sale = sale;
            this.refund = refund;
            this.sameDeliveryAs = sameDeliveryAs;
        }

        /** The same record sent again later, as a fresh receipt (same id and bytes). */
        Draft receivedAgain(double later, long sequence) {
            return new Draft(later, sequence, topic, key, type, source, id, time, contentType, payload, identities,
                    sale, refund, null);
        }

        /** The same record delivered twice, headers included. */
        Draft redelivered(double later, long sequence) {
            return new Draft(later, sequence, topic, key, type, source, id, time, contentType, payload, identities,
                    sale, refund, this);
        }
    }

    private static final class Builder {

        private final Random random;
        private final List<Draft> drafts = new ArrayList<>();
        private final Set<Instant> saleTimes = new HashSet<>();
        private final Map<Integer, List<Double>> purchases = new HashMap<>();
        private long sequence;

        Builder(Random random) {
            this.random = random;
        }

        List<Event> catalog() {
            List<Event> events = new ArrayList<>();
            for (Product product : PRODUCTS) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("sku", product.sku());
                item.put("name", product.name());
                item.put("category", product.category());
                item.put("price", product.price());
                item.put("unit_cost", product.unitCost());
                item.put("reorder_point", product.reorderPoint());
                item.put("updated_at", "2026-10-01T05:00:00Z");
                String source = Sources.uri(Sources.INVENTORY, "catalog");
                Draft draft = new Draft(0, sequence++, Topics.RAW_INVENTORY, product.sku(),
                        EventTypes.RAW_INVENTORY_PRODUCT, source,
                        EventIds.stableId(source, product.sku(), "2026-10-01T05:00:00Z"), "2026-10-01T05:00:00Z",
                        "application/json", json(item), List.of(), null, null, null);
                events.add(event(draft, events.size()));
            }
            return List.copyOf(events);
        }

        List<Event> build(int receivedBefore) {
            drafts.sort(Comparator.comparingDouble((Draft d) -> d.at).thenComparingLong(d -> d.sequence));
            List<Event> events = new ArrayList<>(drafts.size());
            for (Draft draft : drafts) {
                events.add(event(draft, receivedBefore + events.size()));
            }
            return events;
        }

        private static Event event(Draft draft, int index) {
            if (draft.sameDeliveryAs != null) {
                draft.headers = draft.sameDeliveryAs.headers;
            } else {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put(CloudEvents.header("specversion"), CloudEvents.SPEC_VERSION);
                headers.put(CloudEvents.header(CloudEvents.ID), draft.id);
                headers.put(CloudEvents.header(CloudEvents.SOURCE), draft.source);
                headers.put(CloudEvents.header(CloudEvents.TYPE), draft.type);
                headers.put(CloudEvents.header(CloudEvents.TIME), draft.time);
                headers.put(CloudEvents.header(CloudEvents.RECEIVED_AT), FIRST_RECEIPT.plusMillis(7L * index).toString());
                headers.put(CloudEvents.header(CloudEvents.INGEST_ID), "scale-out-" + index);
                headers.put(CloudEvents.header(CloudEvents.CONTENT_HASH), EventIds.sha256(draft.payload));
                headers.put("content-type", draft.contentType);
                draft.headers = Map.copyOf(headers);
            }
            return new Event(draft.topic, draft.key, draft.headers, draft.payload, draft.identities, draft.sale,
                    draft.refund);
        }

        private Draft add(Draft draft) {
            drafts.add(draft);
            return draft;
        }

        // ---- Native till sales -----------------------------------------------------------------

        void nativeSale(int index) {
            Store store = STORES.get(random.nextInt(STORES.size()));
            String saleId = "N-" + index;
            boolean movesPastMidnight = random.nextDouble() < 0.10;
            OffsetDateTime time = saleTime(store, movesPastMidnight);
            Integer buyer = random.nextDouble() < 0.65 ? random.nextInt(NATIVE_BUYERS) : null;
            List<Line> lines = lines();
            double at = random.nextDouble() * SPAN;
            long version = 1;
            Draft first = add(nativeVersion(at, store, saleId, version, "completed", time, buyer, lines));
            Draft last = first;
            if (movesPastMidnight || random.nextDouble() < 0.22) {
                version++;
                if (movesPastMidnight) {
                    time = justAfterMidnight(store, time);
                }
                lines = changed(lines);
                if (buyer == null && random.nextDouble() < 0.3) {
                    buyer = random.nextInt(NATIVE_BUYERS);
                }
                at += 5 + random.nextDouble() * 150;
                last = add(nativeVersion(at, store, saleId, version, "completed", time, buyer, lines));
                if (random.nextDouble() < 0.25) {
                    // The first version again, received after its correction: it changes nothing.
                    add(first.receivedAgain(at + 1 + random.nextDouble() * 60, sequence++));
                }
            }
            if (random.nextDouble() < 0.08) {
                version++;
                at += 5 + random.nextDouble() * 100;
                last = add(nativeVersion(at, store, saleId, version, "voided", time, buyer, lines));
            }
            if (random.nextDouble() < 0.04) {
                add(last.redelivered(at + random.nextDouble() * 3, sequence++));
            }
            if (buyer != null) {
                purchases.computeIfAbsent(buyer, b -> new ArrayList<>()).add(first.at);
            }
        }

        private Draft nativeVersion(double at, Store store, String saleId, long version, String status,
                                    OffsetDateTime time, Integer buyer, List<Line> lines) {
            Map<String, Object> sale = new LinkedHashMap<>();
            sale.put("store_code", store.code());
            sale.put("sale_id", saleId);
            sale.put("version", version);
            sale.put("status", status);
            sale.put("occurred_at", time.format(SECONDS));
            sale.put("currency", "EUR");
            if (buyer != null) {
                sale.put("customer_email", writtenEmail(buyer));
            }
            sale.put("lines", lines.stream().map(line -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("sku", line.product().sku());
                item.put("name", line.product().name());
                item.put("quantity", line.qty());
                item.put("unit_price", line.product().price());
                item.put("discount", line.discount());
                return item;
            }).toList());
            String entity = store.code() + "/" + saleId;
            String source = Sources.uri(Sources.POS_NATIVE, store.code());
            return new Draft(at, sequence++, Topics.RAW_POS, entity, EventTypes.RAW_POS_SALE, source,
                    EventIds.stableId(source, entity, Long.toString(version)), time.format(SECONDS), "application/json",
                    json(sale), buyer == null ? List.of() : List.of("email:" + email(buyer)),
                    new SaleFact(Sources.POS_NATIVE, entity, version, status, net(lines)), null, null);
        }

        // ---- Square orders and their returns ----------------------------------------------------

        void squareOrder(int index) {
            Store store = STORES.get(random.nextInt(STORES.size()));
            String orderId = "SOQ" + index + "X" + Integer.toString(random.nextInt(1 << 20), 36).toUpperCase(Locale.ROOT);
            Integer buyer = random.nextDouble() < 0.7 ? FIRST_SQUARE_BUYER + random.nextInt(PERSONS - FIRST_SQUARE_BUYER)
                    : null;
            boolean delivery = random.nextDouble() < 0.25;
            OffsetDateTime time = saleTime(store, false);
            List<Line> lines = lines();
            double at = random.nextDouble() * SPAN;
            long version = 1;
            if (random.nextDouble() < 0.3) {
                add(squareVersion(at, store, orderId, version, "OPEN", time, buyer, delivery, lines));
                version++;
                at += 3 + random.nextDouble() * 60;
            }
            double completedAt = at;
            long smallestNet = netCents(lines);
            Draft last = add(squareVersion(at, store, orderId, version, "COMPLETED", time, buyer, delivery, lines));
            if (random.nextDouble() < 0.15) {
                version++;
                lines = changed(lines);
                smallestNet = Math.min(smallestNet, netCents(lines));
                at += 3 + random.nextDouble() * 120;
                last = add(squareVersion(at, store, orderId, version, "COMPLETED", time, buyer, delivery, lines));
            }
            boolean canceled = random.nextDouble() < 0.06;
            if (canceled) {
                version++;
                at += 3 + random.nextDouble() * 120;
                last = add(squareVersion(at, store, orderId, version, "CANCELED", time, buyer, delivery, lines));
            }
            if (random.nextDouble() < 0.04) {
                add(last.redelivered(at + random.nextDouble() * 3, sequence++));
            }
            if (buyer != null) {
                purchases.computeIfAbsent(buyer, b -> new ArrayList<>()).add(completedAt);
            }
            if (!canceled && random.nextDouble() < 0.35) {
                returnOrder(index, store, orderId, lines.get(0).product(), time, smallestNet, completedAt, at);
            }
        }

        private Draft squareVersion(double at, Store store, String orderId, long version, String state,
                                    OffsetDateTime time, Integer buyer, boolean delivery, List<Line> lines) {
            String created = time.withOffsetSameInstant(ZoneOffset.UTC).toString();
            String updated = time.plusMinutes(version).withOffsetSameInstant(ZoneOffset.UTC).toString();
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("id", orderId);
            order.put("location_id", store.squareLocation());
            if (buyer != null) {
                order.put("customer_id", squareCustomer(buyer));
            }
            List<Map<String, Object>> items = new ArrayList<>();
            long total = 0;
            long discount = 0;
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("uid", "LI-" + (i + 1));
                item.put("catalog_object_id", line.product().sku().toLowerCase(Locale.ROOT));
                item.put("name", line.product().name());
                item.put("quantity", Integer.toString(line.qty()));
                item.put("base_price_money", money(line.product().price().movePointRight(2).longValueExact()));
                item.put("gross_sales_money", money(line.amountCents()));
                item.put("total_discount_money", money(line.discountCents()));
                item.put("total_tax_money", money(0));
                item.put("total_money", money(line.amountCents() - line.discountCents()));
                items.add(item);
                total += line.amountCents() - line.discountCents();
                discount += line.discountCents();
            }
            order.put("line_items", items);
            if (delivery) {
                order.put("fulfillments", List.of(Map.of("uid", "F-1", "type", "DELIVERY", "state", "COMPLETED")));
            }
            order.put("total_money", money(total));
            order.put("total_tax_money", money(0));
            order.put("total_discount_money", money(discount));
            order.put("created_at", created);
            order.put("updated_at", updated);
            if (!state.equals("OPEN")) {
                order.put("closed_at", created);
            }
            order.put("state", state);
            order.put("version", version);
            String source = Sources.uri(Sources.POS_SQUARE, store.squareLocation());
            boolean sale = !state.equals("OPEN");
            return new Draft(at, sequence++, Topics.RAW_POS, store.squareLocation() + "/" + orderId,
                    EventTypes.RAW_POS_SQUARE_ORDER, source, EventIds.stableId(source, orderId, Long.toString(version)),
                    updated, "application/json", json(order),
                    sale && buyer != null ? List.of(Sources.POS_SQUARE + ":" + squareCustomer(buyer)) : List.of(),
                    sale ? new SaleFact(Sources.POS_SQUARE, orderId, version,
                            state.equals("COMPLETED") ? "completed" : "voided", net(lines)) : null,
                    null, null);
        }

        /**
         * A return order refunding part of {@code orderId} for one unit of {@code returned} given back, received
         * before or after the sale itself.
         */
        private void returnOrder(int index, Store store, String orderId, Product returned, OffsetDateTime soldAt,
                                 long smallestNet, double completedAt, double lastAt) {
            String returnId = "SOR" + index;
            String refundId = "SORF" + index;
            long cents = Math.max(1, Math.round(smallestNet * (0.1 + 0.5 * random.nextDouble())));
            OffsetDateTime refundedAt = soldAt.plusMinutes(120 + random.nextInt(38 * 60));
            double at = random.nextDouble() < 0.4 ? completedAt - 1 - random.nextDouble() * 80
                    : lastAt + 1 + random.nextDouble() * 120;
            double kind = random.nextDouble();
            if (kind < 0.3) {
                add(returnVersion(at, store, returnId, refundId, orderId, returned, 1, "PENDING", refundedAt, cents));
                add(returnVersion(at + 5 + random.nextDouble() * 100, store, returnId, refundId, orderId, returned, 2,
                        kind < 0.25 ? "APPROVED" : "REJECTED", refundedAt, cents));
            } else {
                add(returnVersion(at, store, returnId, refundId, orderId, returned, 1, "APPROVED", refundedAt, cents));
            }
        }

        private Draft returnVersion(double at, Store store, String returnId, String refundId, String orderId,
                                    Product returned, long version, String status, OffsetDateTime refundedAt,
                                    long cents) {
            String created = refundedAt.withOffsetSameInstant(ZoneOffset.UTC).toString();
            String updated = refundedAt.plusMinutes(version).withOffsetSameInstant(ZoneOffset.UTC).toString();
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("id", returnId);
            order.put("location_id", store.squareLocation());
            order.put("returns", List.of(Map.of("uid", "RET-1", "source_order_id", orderId,
                    "return_line_items", List.of(Map.of("uid", "RLI-1", "catalog_object_id", returned.sku(),
                            "name", returned.name(), "quantity", "1", "total_money", money(cents))))));
            order.put("return_amounts", Map.of("total_money", money(cents), "tax_money", money(0)));
            Map<String, Object> refund = new LinkedHashMap<>();
            refund.put("id", refundId);
            refund.put("location_id", store.squareLocation());
            refund.put("status", status);
            refund.put("created_at", created);
            refund.put("amount_money", money(cents));
            order.put("refunds", List.of(refund));
            order.put("total_money", money(0));
            order.put("total_tax_money", money(0));
            order.put("created_at", created);
            order.put("updated_at", updated);
            order.put("closed_at", created);
            order.put("state", "COMPLETED");
            order.put("version", version);
            String source = Sources.uri(Sources.POS_SQUARE, store.squareLocation());
            String canonical = switch (status) {
                case "APPROVED" -> "completed";
                case "PENDING" -> "pending";
                default -> "failed";
            };
            return new Draft(at, sequence++, Topics.RAW_POS, store.squareLocation() + "/" + returnId,
                    EventTypes.RAW_POS_SQUARE_ORDER, source, EventIds.stableId(source, returnId, Long.toString(version)),
                    updated, "application/json", json(order), List.of(), null,
                    new RefundFact(refundId, orderId, version, canonical), null);
        }

        // ---- Square customers and CRM contacts ---------------------------------------------------

        /**
         * Square customers 60..119 (phone; 60..74 with their till e-mail; 65..69 later take the e-mail of till
         * buyers 25..29); CRM contacts 75..99 (e-mail and phone, 80..84 later with the phone of 110..114),
         * 40..44 (their e-mail, the phone of Square customers 110..114), 100..109 (e-mail only, no purchases).
         * Each comes beside one of its person's purchases, on another topic.
         */
        void customers() {
            for (int person = FIRST_SQUARE_BUYER; person < PERSONS; person++) {
                double at = besidePurchase(person);
                String updatedAt = "2026-10-0" + (1 + random.nextInt(4)) + "T08:" + twoDigits(random.nextInt(60)) + ":00Z";
                add(squareCustomer(at, person, "customer.created", updatedAt, person < 75 ? email(person) : null));
                if (person >= 65 && person < 70) {
                    add(squareCustomer(at + 50 + random.nextDouble() * 250, person, "customer.updated",
                            "2026-10-09T10:00:00Z", email(person - 40)));
                }
            }
            for (int person = 75; person < 100; person++) {
                double at = besidePurchase(person);
                add(contact(at, person, email(person), phone(person), "2026-10-02T09:00:00Z"));
                if (person >= 80 && person < 85) {
                    add(contact(at + 50 + random.nextDouble() * 250, person, email(person), phone(person + 30),
                            "2026-10-10T09:00:00Z"));
                }
            }
            for (int person = 40; person < 45; person++) {
                add(contact(besidePurchase(person), person, email(person), phone(person + 70), "2026-10-03T09:00:00Z"));
            }
            for (int person = 100; person < 110; person++) {
                add(contact(random.nextDouble() * SPAN, person, email(person), null, "2026-10-04T09:00:00Z"));
            }
        }

        /** Close to one of the person's purchases (the same instant, give or take), else anywhere. */
        private double besidePurchase(int person) {
            List<Double> bought = purchases.get(person);
            if (bought == null || bought.isEmpty()) {
                return random.nextDouble() * SPAN;
            }
            return bought.get(random.nextInt(bought.size())) + (random.nextDouble() - 0.5) * 2;
        }

        private Draft squareCustomer(double at, int person, String type, String updatedAt, String email) {
            String id = squareCustomer(person);
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("id", id);
            customer.put("given_name", "Client");
            customer.put("family_name", "N°" + person);
            if (email != null) {
                customer.put("email_address", email.toUpperCase(Locale.ROOT));
            }
            customer.put("phone_number", writtenPhone(person));
            customer.put("preferences", Map.of("email_unsubscribed", person % 3 == 0));
            customer.put("created_at", "2026-09-01T08:00:00Z");
            customer.put("updated_at", updatedAt);
            String eventId = "sq-" + type + "-" + id;
            Map<String, Object> notification = new LinkedHashMap<>();
            notification.put("merchant_id", SQUARE_MERCHANT);
            notification.put("type", type);
            notification.put("event_id", eventId);
            notification.put("created_at", updatedAt);
            notification.put("data", Map.of("type", "customer", "id", id, "object", Map.of("customer", customer)));
            List<String> identities = new ArrayList<>(List.of(Sources.POS_SQUARE + ":" + id, "phone:" + phone(person)));
            if (email != null) {
                identities.add("email:" + email);
            }
            return new Draft(at, sequence++, Topics.RAW_CRM, id, EventTypes.RAW_POS_SQUARE_NOTIFICATION,
                    Sources.uri(Sources.POS_SQUARE, SQUARE_MERCHANT), eventId, updatedAt, "application/json",
                    json(notification), List.copyOf(identities), null, null, null);
        }

        private Draft contact(double at, int person, String email, String phone, String updatedAt) {
            String id = "CRM-" + person;
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("id", id);
            contact.put("given_name", "Client");
            contact.put("family_name", "N°" + person);
            contact.put("email", random.nextBoolean() ? email : email.toUpperCase(Locale.ROOT));
            if (phone != null) {
                contact.put("phone", random.nextBoolean() ? phone : national(phone));
            }
            contact.put("marketing_opt_in", person % 2 == 0);
            contact.put("created_at", "2026-09-01T08:00:00Z");
            contact.put("updated_at", updatedAt);
            List<String> identities = new ArrayList<>(List.of(Sources.CRM + ":" + id, "email:" + email));
            if (phone != null) {
                identities.add("phone:" + phone);
            }
            String source = Sources.uri(Sources.CRM, CRM_TENANT);
            return new Draft(at, sequence++, Topics.RAW_CRM, id, EventTypes.RAW_CRM_CUSTOMER, source,
                    EventIds.stableId(source, id, Instant.parse(updatedAt).toString()), updatedAt, "application/json",
                    json(contact), List.copyOf(identities), null, null, null);
        }

        // ---- Stock counts ---------------------------------------------------------------------------

        /**
         * Counts of one product in one store, in counting order, plus a late older count (changes nothing), a
         * correction counted at the same instant (replaces the count if nothing newer came in between), an
         * exact redelivery; a quarter of them in XML.
         */
        void stockCounts(Store store, Product product) {
            int count = 3 + random.nextInt(6);
            TreeSet<Instant> times = new TreeSet<>();
            while (times.size() < count) {
                LocalTime local = LocalTime.of(6, 0).plusMinutes(random.nextInt(15 * 60));
                times.add(FIRST_DAY.plusDays(random.nextInt(DAYS)).atTime(local).atZone(ZoneId.of(store.zone()))
                        .toInstant());
            }
            double[] positions = random.doubles(count, 0, SPAN).sorted().toArray();
            List<Instant> counted = new ArrayList<>(times);
            for (int i = 0; i < count; i++) {
                Draft level = add(level(positions[i], store, product, counted.get(i), onHand()));
                double roll = random.nextDouble();
                if (roll < 0.15) {
                    add(level.redelivered(positions[i] + random.nextDouble() * 2, sequence++));
                } else if (roll < 0.30) {
                    double later = random.nextBoolean() ? random.nextDouble() : 1 + random.nextDouble() * 80;
                    add(level(positions[i] + later, store, product, counted.get(i), onHand()));
                } else if (roll < 0.40) {
                    Instant older = counted.get(i).minusSeconds(60L * (1 + random.nextInt(240)));
                    if (!times.contains(older)) {
                        add(level(positions[i] + random.nextDouble() * 40, store, product, older, onHand()));
                    }
                }
            }
        }

        private int onHand() {
            return random.nextDouble() < 0.05 ? -1 - random.nextInt(3) : random.nextInt(61);
        }

        private Draft level(double at, Store store, Product product, Instant asOf, int onHand) {
            String updatedAt = asOf.toString();
            boolean xml = random.nextDouble() < 0.25;
            byte[] payload;
            if (xml) {
                payload = ("<stockLevel sku=\"" + product.sku() + "\" location=\"" + store.code() + "\"><onHand>" + onHand
                        + "</onHand><updatedAt>" + updatedAt + "</updatedAt></stockLevel>").getBytes(StandardCharsets.UTF_8);
            } else {
                Map<String, Object> level = new LinkedHashMap<>();
                level.put("sku", product.sku());
                level.put("location", store.code());
                level.put("on_hand", onHand);
                level.put("updated_at", updatedAt);
                payload = json(level);
            }
            String key = product.sku() + "@" + store.code();
            String source = Sources.uri(Sources.INVENTORY, store.code());
            return new Draft(at, sequence++, Topics.RAW_INVENTORY, key, EventTypes.RAW_INVENTORY_LEVEL, source,
                    EventIds.stableId(source, key, updatedAt), updatedAt, xml ? "application/xml" : "application/json",
                    payload, List.of(), null, null, null);
        }

        // ---- Shared pieces ----------------------------------------------------------------------------

        /** A time no other sale has, on one of the days, in the store's zone: late evening when asked. */
        private OffsetDateTime saleTime(Store store, boolean lateEvening) {
            while (true) {
                LocalTime local = lateEvening ? LocalTime.of(23, 20).plusSeconds(random.nextInt(35 * 60))
                        : LocalTime.of(7, 0).plusSeconds(random.nextInt(13 * 3600));
                OffsetDateTime time = FIRST_DAY.plusDays(random.nextInt(DAYS)).atTime(local)
                        .atZone(ZoneId.of(store.zone())).toOffsetDateTime();
                if (saleTimes.add(time.toInstant())) {
                    return time;
                }
            }
        }

        /** Shortly after the next local midnight: the corrected sale counts on the next business day. */
        private OffsetDateTime justAfterMidnight(Store store, OffsetDateTime time) {
            LocalDate nextDay = time.atZoneSameInstant(ZoneId.of(store.zone())).toLocalDate().plusDays(1);
            while (true) {
                OffsetDateTime moved = nextDay.atTime(LocalTime.of(0, 5).plusSeconds(random.nextInt(40 * 60)))
                        .atZone(ZoneId.of(store.zone())).toOffsetDateTime();
                if (saleTimes.add(moved.toInstant())) {
                    return moved;
                }
            }
        }

        private List<Line> lines() {
            List<Product> shuffled = new ArrayList<>(PRODUCTS);
            Collections.shuffle(shuffled, random);
            int count = 1 + random.nextInt(4);
            List<Line> lines = new ArrayList<>();
            for (Product product : shuffled.subList(0, count)) {
                lines.add(line(product, 1 + random.nextInt(product.price().compareTo(BigDecimal.TEN) > 0 ? 1 : 4)));
            }
            return lines;
        }

        private Line line(Product product, int qty) {
            BigDecimal discount = BigDecimal.ZERO.setScale(2);
            if (random.nextDouble() < 0.15) {
                discount = new BigDecimal("0.10").multiply(BigDecimal.valueOf(1 + random.nextInt(5)))
                        .min(product.price().multiply(BigDecimal.valueOf(qty)));
            }
            return new Line(product, qty, discount);
        }

        /** A correction: one line dropped, one added, or one quantity changed. */
        private List<Line> changed(List<Line> lines) {
            List<Line> changed = new ArrayList<>(lines);
            double roll = random.nextDouble();
            if (changed.size() > 1 && roll < 0.3) {
                changed.remove(random.nextInt(changed.size()));
            } else if (roll < 0.6) {
                Set<Product> present = new HashSet<>();
                changed.forEach(l -> present.add(l.product()));
                PRODUCTS.stream().filter(p -> !present.contains(p)).skip(random.nextInt(PRODUCTS.size() - present.size()))
                        .findFirst().ifPresent(p -> changed.add(line(p, 1 + random.nextInt(3))));
            } else {
                int at = random.nextInt(changed.size());
                Line old = changed.get(at);
                changed.set(at, new Line(old.product(), old.qty() + 1, old.discount()));
            }
            return changed;
        }

        private String writtenEmail(int person) {
            String email = email(person);
            return switch (random.nextInt(3)) {
                case 0 -> email;
                case 1 -> Character.toUpperCase(email.charAt(0)) + email.substring(1);
                default -> email.toUpperCase(Locale.ROOT);
            };
        }

        private String writtenPhone(int person) {
            return random.nextBoolean() ? phone(person) : national(phone(person));
        }

        private static String national(String e164) {
            String digits = "0" + e164.substring(3);
            StringBuilder spaced = new StringBuilder();
            for (int i = 0; i < digits.length(); i += 2) {
                spaced.append(i == 0 ? "" : " ").append(digits, i, Math.min(i + 2, digits.length()));
            }
            return spaced.toString();
        }

        private static String squareCustomer(int person) {
            return "SQC-" + person;
        }

        private static String twoDigits(int value) {
            return String.format(Locale.ROOT, "%02d", value);
        }

        private static BigDecimal net(List<Line> lines) {
            return lines.stream().map(Line::net).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        private static long netCents(List<Line> lines) {
            return lines.stream().mapToLong(l -> l.amountCents() - l.discountCents()).sum();
        }

        private static Map<String, Object> money(long cents) {
            return Map.of("amount", cents, "currency", "EUR");
        }

        private static byte[] json(Object value) {
            try {
                return Json.mapper().writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Maps of strings and numbers are JSON", e);
            }
        }
    }
}
