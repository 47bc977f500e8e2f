package dev.levain.devstack.simulator;

import dev.levain.events.signature.TimestampedSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * returning customers, each sale posted, signed, to the real ingest endpoint. A sale the endpoint
 * does not acknowledge with 2xx is kept and sent again, as a real POS would.
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
    private final String secret;

    private PanPanSimulator(String ingestUrl, String secret) {
        this.endpoint = URI.create(ingestUrl + "/api/v1/ingest/pos/sales");
        this.secret = secret;
    }

    /** Posts one sale every {@code interval} to the ingest service at {@code ingestUrl}, signed with {@code secret}. */
    public static PanPanSimulator start(String ingestUrl, String secret, Duration interval) {
        PanPanSimulator simulator = new PanPanSimulator(ingestUrl, secret);
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
            byte[] body = sale.getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .header(TimestampedSignature.HEADER, TimestampedSignature.sign(secret, Instant.now(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 400) {
                System.err.println("[demo] ingest refused a simulated sale: " + sale);
                return true;
            }
            return status / 100 == 2;
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
