package dev.levain.ingest.service;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.repository.ReceivedEventRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Forgets accepted event ids older than the dedupe window, so the ledger stays small. */
@ApplicationScoped
public class LedgerRetention {

    private static final Logger LOG = Logger.getLogger(LedgerRetention.class);

    private final ReceivedEventRepository ledger;
    private final IngestConfig config;

    public LedgerRetention(ReceivedEventRepository ledger, IngestConfig config) {
        this.ledger = ledger;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        int forgotten = ledger.forgetBefore(Instant.now().minus(config.dedupeWindow()));
        if (forgotten > 0) {
            LOG.infof("Forgot %d event ids older than %s", forgotten, config.dedupeWindow());
        }
    }
}
