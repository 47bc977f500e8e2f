package dev.levain.ingest.service;

import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.repository.ReceivedEventRepository;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the dedupe ledger (PostgreSQL) in the readiness data, always UP: while the database is down
 * ingest still accepts and publishes (the consumers are idempotent), so it must stay in the load balancer.
 * Readiness itself follows Kafka, which ingest cannot accept anything without.
 */
@Readiness
@ApplicationScoped
public class DedupeLedgerHealthCheck implements HealthCheck {

    private static final String NAME = "Dedupe ledger";
    /** Well under the readiness probe's timeout, which a hanging database must not make it miss. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final ReceivedEventRepository ledger;

    public DedupeLedgerHealthCheck(ReceivedEventRepository ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        String problem;
        try {
            problem = Uni.createFrom().item(() -> problem())
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .await().atMost(PROBE_TIMEOUT);
        } catch (TimeoutException e) {
            problem = "PostgreSQL did not answer within " + PROBE_TIMEOUT.toMillis()
                    + " ms: inputs wait for it, then go without edge dedupe if it is down";
        } catch (RuntimeException e) {
            problem = "the ledger could not be checked: " + rootMessage(e);
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        return problem == null ? response.withData("ledger", "available").build()
                : response.withData("ledger", "degraded").withData("detail", problem).build();
    }

    /**
     * Why the ledger cannot be used now, or null when it can. Never throws: a check that throws counts as DOWN,
     * and an answer arriving after the timeout is simply dropped.
     */
    private String problem() {
        try {
            ledger.checkReadable();
            return null;
        } catch (LedgerUnavailableException e) {
            return ReceivedEventRepository.databaseDown(e)
                    ? "PostgreSQL cannot be reached: events are accepted and published without edge dedupe"
                    : "the ledger fails (" + rootMessage(e) + "): inputs are answered 503 until it recovers";
        } catch (RuntimeException e) {
            return "the ledger could not be checked: " + rootMessage(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
