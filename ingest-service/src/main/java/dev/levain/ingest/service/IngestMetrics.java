package dev.levain.ingest.service;

import dev.levain.events.signature.SignatureException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Per-connector ingest figures at {@code /q/metrics}: {@code levain_ingest_events_total} by outcome
 * (accepted, duplicate, rejected with its reason, ignored, unavailable), and publish latency.
 * Received = accepted + duplicate + rejected + ignored + unavailable.
 */
@ApplicationScoped
public class IngestMetrics {

    private static final String EVENTS = "levain.ingest.events";

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Runs one request's work, counting it as rejected, with the reason, when it is refused. */
    public <T> T countingRejections(String connector, Supplier<T> work) {
        try {
            return work.get();
        } catch (SignatureException e) {
            rejected(connector, "signature");
            throw e;
        } catch (NotAuthenticatedException e) {
            rejected(connector, "unauthenticated");
            throw e;
        } catch (InvalidInputException e) {
            rejected(connector, "invalid");
            throw e;
        } catch (PayloadTooLargeException e) {
            rejected(connector, "too-large");
            throw e;
        } catch (UpstreamUnavailableException e) {
            counter("levain.ingest.received", connector).increment();
            outcome(connector, "unavailable", "upstream").increment();
            throw e;
        }
    }

    void received(String connector, int count) {
        counter("levain.ingest.received", connector).increment(count);
    }

    void accepted(String connector, int count) {
        outcome(connector, "accepted", "none").increment(count);
    }

    void duplicates(String connector, int count) {
        outcome(connector, "duplicate", "none").increment(count);
    }

    /** Changed records kept as corrections of a version accepted before (pulls, Square). */
    void corrections(String connector, int count) {
        outcome(connector, "accepted", "correction").increment(count);
    }

    /** Pushed items refused (409) for changing a version already accepted. */
    void conflicts(String connector, int count) {
        outcome(connector, "rejected", "conflict").increment(count);
    }

    void dedupeSkipped(String connector, int count) {
        counter("levain.ingest.dedupe.skipped", connector).increment(count);
    }

    void publishFailed(String connector, int count) {
        counter("levain.ingest.received", connector).increment(count);
        outcome(connector, "unavailable", "broker").increment(count);
    }

    /** One item (request, batch entry or CSV row) refused for {@code reason} (signature, invalid, too-large...). */
    public void rejected(String connector, String reason) {
        counter("levain.ingest.received", connector).increment();
        outcome(connector, "rejected", reason).increment();
    }

    /** {@code count} items (CSV rows) refused for {@code reason}. */
    void rejected(String connector, String reason, int count) {
        counter("levain.ingest.received", connector).increment(count);
        outcome(connector, "rejected", reason).increment(count);
    }

    /**
     * One item answered as a duplicate before reaching the ledger claim (a redelivery found already accepted),
     * counted as {@link RawEventIngestService} counts the duplicates it finds.
     */
    public void duplicate(String connector) {
        received(connector, 1);
        duplicates(connector, 1);
    }

    /** One authentic item taken with 2xx but not published, for {@code reason} (e.g. a type Levain does not use). */
    public void ignored(String connector, String reason) {
        counter("levain.ingest.received", connector).increment();
        outcome(connector, "ignored", reason).increment();
    }

    void publishLatency(String connector, Duration latency) {
        Timer.builder("levain.ingest.publish.latency")
                .description("From handing events to Kafka to its acknowledgement")
                .tag("connector", connector)
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(latency);
    }

    private Counter outcome(String connector, String outcome, String reason) {
        return Counter.builder(EVENTS).tag("connector", connector).tag("outcome", outcome).tag("reason", reason)
                .register(registry);
    }

    private Counter counter(String name, String connector) {
        return Counter.builder(name).tag("connector", connector).register(registry);
    }
}
