package dev.levain.devstack.simulator;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PanPan's point of sale, simulated: three stores selling bread and pastries to a pool of
 * returning customers, each sale posted to the real ingest endpoint. A sale the endpoint does
 * not accept with 202 is kept and sent again, as a real POS would.
 */
public final class PanPanSimulator implements AutoCloseable {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final List<String> STORES = List.of("PAR-BASTILLE", "PAR-MONTMARTRE", "PAR-DELIVERY");
    private static final List<Product> CATALOG = List.of(
            new Product("BAGUETTE", "Baguette tradition", "1.30"),
            new Product("CROISSANT", "Croissant au beurre", "1.40"),
            new Product("PAIN-CHOC", "Pain au chocolat", "1.50"),
            new Product("CAMPAGNE", "Pain de campagne", "4.20"),
            new Product("BRIOCHE", "Brioche", "5.80"),
            new Product("ECLAIR", "Éclair au café", "3.60"),
            new Product("TARTE-CITRON", "Tarte au citron", "4.10"),
            new Product("FLAN", "Flan pâtissier", "3.20"),
            new Product("CHAUSSON", "Chausson aux pommes", "2.20"),
            new Product("SANDWICH", "Jambon-beurre", "5.50"),
            new Product("QUICHE", "Quiche lorraine", "4.90"),
            new Product("MACARON", "Macaron", "1.90"));

    private record Product(String sku, String name, String price) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "panpan-simulator");
        thread.setDaemon(true);
        return thread;
    });
    private final Random random = new Random();
    private final List<String> pending = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final URI endpoint;

    private PanPanSimulator(String ingestUrl) {
        this.endpoint = URI.create(ingestUrl + "/api/v1/ingest/pos/sales");
    }

    /** Posts one sale every {@code interval} to the ingest service at {@code ingestUrl}. */
    public static PanPanSimulator start(String ingestUrl, Duration interval) {
        PanPanSimulator simulator = new PanPanSimulator(ingestUrl);
        simulator.scheduler.scheduleWithFixedDelay(simulator::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return simulator;
    }

    public long accepted() {
        return accepted.get();
    }

    private void tick() {
        pending.add(nextSale());
        while (!pending.isEmpty() && post(pending.get(0))) {
            pending.remove(0);
            if (accepted.incrementAndGet() % 25 == 0) {
                System.out.println("[demo] " + accepted.get() + " sales accepted by ingest");
            }
        }
    }

    private boolean post(String sale) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(sale))
                    .build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 400) {
                System.err.println("[demo] ingest refused a simulated sale: " + sale);
                return true;
            }
            return status == 202;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String nextSale() {
        String store = STORES.get(random.nextInt(STORES.size()));
        String lines = String.join(",", randomLines());
        // Two customers in three are identified; a small pool makes most of them return.
        String customer = random.nextInt(3) == 0 ? "" : "\"customer_email\": \"client" + random.nextInt(60) + "@panpan.example\", ";
        return """
                {"store_code": "%s", "sale_id": "%s", "occurred_at": "%s", "currency": "EUR", %s"lines": [%s]}"""
                .formatted(store, java.util.UUID.randomUUID(),
                        OffsetDateTime.now(PARIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), customer, lines);
    }

    private List<String> randomLines() {
        List<String> lines = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            Product product = CATALOG.get(random.nextInt(CATALOG.size()));
            lines.add("""
                    {"sku": "%s", "name": "%s", "quantity": %d, "unit_price": %s}"""
                    .formatted(product.sku(), product.name(), 1 + random.nextInt(3), new BigDecimal(product.price())));
        }
        return lines;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
