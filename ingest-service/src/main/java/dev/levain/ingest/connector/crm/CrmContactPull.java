package dev.levain.ingest.connector.crm;

import dev.levain.events.Sources;
import dev.levain.ingest.config.CrmConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.service.ConflictPolicy;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import dev.levain.ingest.service.pull.PullJob;
import dev.levain.ingest.service.pull.PullResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Pulls the CRM contacts updated since the last pull, page by page, and publishes each as a raw event.
 * The cursor is the latest {@code updated_at} seen (the CRM's own clock), but never later than the start
 * of the pull; each pull starts {@code overlap} before it, and the dedupe ledger drops the versions
 * already published.
 */
@ApplicationScoped
public class CrmContactPull implements PullJob {

    public static final String NAME = "crm-customers";

    private static final Logger LOG = Logger.getLogger(CrmContactPull.class);

    private final CrmApiClient api;
    private final CrmContactReader reader;
    private final RawEventIngestService ingest;
    private final IngestMetrics metrics;
    private final CrmConfig config;

    public CrmContactPull(CrmApiClient api, CrmContactReader reader, RawEventIngestService ingest,
                          IngestMetrics metrics, CrmConfig config) {
        this.api = api;
        this.reader = reader;
        this.ingest = ingest;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Source source() {
        return Source.CRM;
    }

    @Override
    public Duration every() {
        return config.pullEvery();
    }

    /** Without an API address this deployment takes CRM data by webhook and file only. */
    @Override
    public boolean enabled() {
        return config.apiBaseUrl().isPresent();
    }

    /**
     * Publishes each page as soon as it is read, so a long catch-up does not hold every contact in memory;
     * a later failure leaves the cursor where it was and the next pull republishes those pages as duplicates.
     * A contact without a usable id or updated_at cannot become an event: it is skipped, logged and counted
     * as rejected, and the cursor moves past it, since failing the pull on it would fail every pull after.
     */
    @Override
    public PullResult pull(Optional<String> cursor) {
        Instant startedAt = Instant.now();
        Instant resumeAt = cursor.map(CrmContactPull::parseCursor)
                .orElseGet(() -> startedAt.minus(config.initialSince()));
        Instant since = cursor.isPresent() ? resumeAt.minus(config.overlap()) : resumeAt;
        Instant newest = resumeAt;
        int fetched = 0;
        int published = 0;
        int rejected = 0;
        Set<String> tokensSeen = new HashSet<>();
        String pageToken = null;
        do {
            CrmPage page = api.contacts(since, pageToken);
            List<RawEvent> events = new ArrayList<>(page.contacts().size());
            for (int i = 0; i < page.contacts().size(); i++) {
                byte[] contact = page.contacts().get(i);
                try {
                    RawEvent event = reader.readPulled(contact);
                    events.add(event);
                    newest = later(newest, event.time().toInstant());
                } catch (InvalidInputException e) {
                    rejected++;
                    metrics.rejected(Sources.CRM, "invalid");
                    LOG.warnf("Pull %s skips contact #%d of this pull (%s) that the CRM API sent: %s", NAME,
                            fetched + i + 1, reader.describe(contact), e.getMessage());
                    Optional<Instant> updatedAt = reader.updatedAt(contact);
                    if (updatedAt.isPresent()) {
                        newest = later(newest, updatedAt.get());
                    }
                }
            }
            fetched += page.contacts().size();
            // The CRM is the system of record: a contact changed under an updated_at already received is kept.
            published += (int) ingest.ingestAll(Sources.CRM, events, ConflictPolicy.KEEP_AS_CORRECTION).stream()
                    .filter(IngestResult::published).count();
            pageToken = nextToken(page, tokensSeen);
        } while (pageToken != null);
        // Never past the start of the pull: a contact dated in the future (a wrong clock at the CRM) would
        // otherwise put every later, correctly dated update behind the cursor.
        Instant next = newest.isAfter(startedAt) ? startedAt : newest;
        return new PullResult(next.toString(), fetched, published, fetched - published - rejected, rejected);
    }

    private static String nextToken(CrmPage page, Set<String> tokensSeen) {
        String next = page.nextPageToken();
        if (next != null && !tokensSeen.add(next)) {
            throw new CrmApiException("CRM API served page token " + next + " twice; stopping rather than looping");
        }
        return next;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant parseCursor(String cursor) {
        try {
            return Instant.parse(cursor);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("The stored cursor of " + NAME + " is not an instant: " + cursor, e);
        }
    }
}
