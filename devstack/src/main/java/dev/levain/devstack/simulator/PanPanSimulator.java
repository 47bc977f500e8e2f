package dev.levain.devstack.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "panpan-simulator");
        thread.setDaemon(true);
        return thread;
    });
    private final PanPanSales sales = new PanPanSales(new Random());
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
        return sales.next(OffsetDateTime.now(PARIS), 1, 4).toJson();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
