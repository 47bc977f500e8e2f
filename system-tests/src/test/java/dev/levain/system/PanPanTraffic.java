package dev.levain.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.launcher.LevainSystem;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.devstack.simulator.PanPanSales;
import dev.levain.devstack.simulator.crm.CrmSimulator;
import dev.levain.devstack.simulator.inventory.InventorySimulator;
import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * PanPan's traffic from every source, sent the way the real senders do: tills post signed sales and the
 * back office uploads CSV exports, each to either ingest replica, again after a 503 or a connection failure
 * (to the other replica) until a 2xx; Square sells and retries its own webhooks; the CRM changes contacts
 * and pushes them without retrying (the pulls catch up); the inventory system changes stock, pushes it
 * (again until a 2xx) and is pulled. Keeps what was accepted, which is what the model must hold.
 */
final class PanPanTraffic {

    /** Native sales, CSV files (of {@link #SALES_PER_FILE} sales), Square sales and stock changes, spread over the run. */
    static final int NATIVE_SALES = 300;
    static final int CSV_FILES = 10;
    static final int SALES_PER_FILE = 20;
    static final int SQUARE_SALES = 150;
    static final int STOCK_CHANGES = 160;
    static final int CONTACT_UPDATES = 160;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final String CSV_HEADER = "store_code,sale_id,occurred_at,sku,quantity,unit_price\n";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String CRM_WEBHOOKS = "/api/v1/ingest/crm/webhooks";
    private static final String INVENTORY_WEBHOOKS = "/api/v1/ingest/inventory/webhooks";

    /** One sale a till or an export holds: its source, id, store, and lines. */
    record SentSale(String source, String sourceId, String store, List<PanPanSales.Line> lines) {

        BigDecimal net() {
            return lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
        }

        /** As {@code source|id|store|net|line count|units}, the way the check reads the model. */
        String row() {
            return String.join("|", source, sourceId, store, net().toPlainString(), String.valueOf(lines.size()),
                    String.valueOf(lines.stream().mapToInt(PanPanSales.Line::quantity).sum()));
        }
    }

    private final LevainSystem system;
    private final Duration length;
    private final LocalDate salesDay = LocalDate.now(PARIS).minusDays(2);
    private final ExecutorService senders = Executors.newCachedThreadPool();
    /** Sales that got a 2xx (native) or were accepted or duplicate items of a 200 upload (CSV). */
    final List<SentSale> accepted = Collections.synchronizedList(new ArrayList<>());
    final List<SquareSimulator.Sale> squareSales = Collections.synchronizedList(new ArrayList<>());
    /** Answers no sender should ever get (anything but a 2xx, a 503 or no answer), as {@code what: status body}. */
    final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    /** Product and store pairs run out of stock, in order; never changed again. */
    final Set<String> outOfStock = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Answers of 503 or no answer, which the senders retried. */
    volatile int retried;

    PanPanTraffic(LevainSystem system, Duration length) {
        this.system = system;
        this.length = length;
    }

    /** Starts every sender; the future completes when all have sent (and retried) everything. */
    CompletableFuture<Void> start() {
        return CompletableFuture.allOf(
                CompletableFuture.runAsync(this::sendNativeSales, senders),
                CompletableFuture.runAsync(this::uploadCsvFiles, senders),
                CompletableFuture.runAsync(this::sellOnSquare, senders),
                CompletableFuture.runAsync(this::changeContacts, senders),
                CompletableFuture.runAsync(this::changeStock, senders));
    }

    void shutdown() {
        senders.shutdownNow();
    }

    // ---- Senders --------------------------------------------------------------------------------------

    private void sendNativeSales() {
        PanPanSales generator = new PanPanSales(new Random(15));
        OffsetDateTime opening = salesDay.atTime(7, 0).atZone(PARIS).toOffsetDateTime();
        paced(NATIVE_SALES, i -> {
            PanPanSales.Sale drawn = generator.next(opening.plusMinutes(2L * i), 1, 4);
            PanPanSales.Sale sale = new PanPanSales.Sale(drawn.storeCode(), "FT-N-" + i, drawn.occurredAt(),
                    drawn.customerEmail(), drawn.lines());
            Http.Reply reply = untilTaken("native sale " + i, replica -> Http.postSigned(
                    system.url(Service.INGEST, replica) + "/api/v1/ingest/pos/sales", sale.toJson(),
                    system.secrets().posNative()));
            if (reply.status() / 100 == 2) {
                accepted.add(new SentSale("pos-native", sale.storeCode() + "/" + sale.saleId(), sale.storeCode(),
                        sale.lines()));
            }
        });
    }

    private void uploadCsvFiles() {
        PanPanSales generator = new PanPanSales(new Random(16));
        OffsetDateTime opening = salesDay.minusDays(1).atTime(7, 0).atZone(PARIS).toOffsetDateTime();
        paced(CSV_FILES, file -> {
            StringBuilder csv = new StringBuilder(CSV_HEADER);
            List<SentSale> sales = new ArrayList<>();
            for (int j = 0; j < SALES_PER_FILE; j++) {
                PanPanSales.Sale drawn = generator.next(opening.plusMinutes(3L * (file * SALES_PER_FILE + j)), 1, 3);
                String saleId = "FT-C-" + file + "-" + j;
                for (PanPanSales.Line line : drawn.lines()) {
                    csv.append(String.join(",", drawn.storeCode(), saleId, drawn.occurredAt().toString(), line.sku(),
                            String.valueOf(line.quantity()), line.unitPrice().toPlainString())).append('\n');
                }
                sales.add(new SentSale("pos-csv", drawn.storeCode() + "/" + saleId, drawn.storeCode(), drawn.lines()));
            }
            Http.Reply reply = untilTaken("CSV file " + file, replica -> Http.postCsv(
                    system.url(Service.INGEST, replica) + "/api/v1/ingest/pos/csv", csv.toString(),
                    system.secrets().uploadToken()));
            JsonNode report = reply.body();
            if (reply.status() == 200 && report.get("rejected_items").asInt() == 0 && report.get("accepted_items").asInt()
                    + report.get("duplicate_items").asInt() == SALES_PER_FILE) {
                accepted.addAll(sales);
            } else if (reply.status() / 100 == 2) {
                refused.add("CSV file " + file + ": " + reply.status() + " " + report);
            }
        });
    }

    private void sellOnSquare() {
        SquareSimulator square = system.outside().square();
        paced(SQUARE_SALES, i -> squareSales.add(square.sell()));
    }

    /** The CRM pushes each change to one replica or the other and never retries: a lost push is pulled later. */
    private void changeContacts() {
        CrmSimulator crm = system.outside().crm();
        Random random = new Random(17);
        List<CrmSimulator.Contact> contacts = crm.contacts();
        paced(CONTACT_UPDATES, i -> {
            crm.pushWebhooksTo(URI.create(system.url(Service.INGEST, i % 2) + CRM_WEBHOOKS), system.secrets().crmWebhook());
            crm.update(contacts.get(random.nextInt(contacts.size())).id());
        });
    }

    /**
     * Stock moves at random (pulled, and every other change pushed too); every 40th change runs one product
     * out at one store, left so from then on: each is one alert to deliver.
     */
    private void changeStock() {
        InventorySimulator inventory = system.outside().inventory();
        Random random = new Random(18);
        paced(STOCK_CHANGES, i -> {
            PanPanCatalog.Store store = PanPanCatalog.STORES.get(random.nextInt(PanPanCatalog.STORES.size()));
            PanPanCatalog.Product product = PanPanCatalog.PRODUCTS.get(random.nextInt(PanPanCatalog.PRODUCTS.size()));
            String key = product.sku() + "@" + store.code();
            if (outOfStock.contains(key)) {
                return;
            }
            boolean runOut = i % 40 == 5;
            if (runOut) {
                outOfStock.add(key);
            }
            InventorySimulator.Level level = inventory.setLevel(product.sku(), store.code(),
                    runOut ? 0 : 1 + product.reorderPoint() + random.nextInt(40));
            if (runOut || i % 2 == 0) {
                untilTaken("stock webhook " + key, replica -> new Http.Reply(inventory.pushWebhook(
                        system.url(Service.INGEST, replica) + INVENTORY_WEBHOOKS, List.of(level)), "", null));
            }
        });
    }

    // ---- Sending ----------------------------------------------------------------------------------------

    /** Runs {@code send} {@code count} times spread evenly over the traffic's length. */
    private void paced(int count, IntConsumer send) {
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(begin + i * length.toNanos() / count - System.nanoTime());
            send.accept(i);
        }
    }

    /**
     * Sends to one ingest replica, then to the other after a 503 or no answer, until an answer that is
     * neither; returns it. Any answer but a 2xx is kept in {@link #refused}.
     */
    private Http.Reply untilTaken(String what, IntFunction<Http.Reply> send) {
        int replica = Math.abs(what.hashCode()) % 2;
        while (true) {
            Http.Reply reply = answer(send, replica);
            if (reply != null && reply.status() > 0 && reply.status() != 503) {
                if (reply.status() / 100 != 2) {
                    refused.add(what + ": " + reply.status() + " " + reply.body());
                }
                return reply;
            }
            retried++;
            replica = 1 - replica;
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        }
    }

    /** The answer, or null when there was none (connection refused or reset, timed out). */
    private static Http.Reply answer(IntFunction<Http.Reply> send, int replica) {
        try {
            return send.apply(replica);
        } catch (UncheckedIOException noAnswer) {
            return null;
        }
    }

    /** Each Square sale as {@code pos-square|order|store|net+tax|line count}, the way the check reads the model. */
    List<String> squareRows() {
        SquareSimulator square = system.outside().square();
        return squareSales.stream().map(sale -> {
            JsonNode order = readTree(square.orderJson(sale.orderId()));
            String store = PanPanCatalog.STORES.stream().filter(s -> s.squareId().equals(sale.locationId()))
                    .findFirst().orElseThrow().code();
            return String.join("|", "pos-square", sale.orderId(), store,
                    BigDecimal.valueOf(sale.totalCents(), 2).toPlainString(),
                    String.valueOf(order.get("line_items").size()));
        }).collect(Collectors.toList());
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
