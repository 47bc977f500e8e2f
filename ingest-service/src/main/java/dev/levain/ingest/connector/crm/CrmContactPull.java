package dev.levain.ingest.connector.crm;

import dev.levain.events.Sources;
import dev.levain.ingest.config.CrmConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.service.IngestMetrics;
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

/**
 * Pulls the CRM contacts updated since the last pull, page by page, and publishes each as a raw event.
 * The cursor is the latest {@code updated_at} seen (the CRM's own clock, so no skew with ours); each
 * pull starts {@code overlap} before it, and the dedupe ledger drops the versions already published.
 */
@ApplicationScoped
public class CrmContactPull implements PullJob {

    public static final String NAME = "crm-customers";

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
     * A contact without a usable id or updated_at cannot become an event: the others are published, then
     * the pull fails naming it, so it is seen rather than skipped.
     */
    @Override
    public PullResult pull(Optional<String> cursor) {
        Instant resumeAt = cursor.map(CrmContactPull::parseCursor)
                .orElseGet(() -> Instant.now().minus(config.initialSince()));
        Instant since = cursor.isPresent() ? resumeAt.minus(config.overlap()) : resumeAt;
        Instant newest = resumeAt;
        int fetched = 0;
        int published = 0;
        List<String> refused = new ArrayList<>();
        Set<String> tokensSeen = new HashSet<>();
        String pageToken = null;
        do {
            CrmPage page = api.contacts(since, pageToken);
            List<RawEvent> events = new ArrayList<>(page.contacts().size());
            for (int i = 0; i < page.contacts().size(); i++) {
                try {
                    events.add(reader.readPulled(page.contacts().get(i)));
                } catch (InvalidInputException e) {
                    metrics.rejected(Sources.CRM, "invalid");
                    refused.add("contact #" + (fetched + i + 1) + " of this pull: " + e.getMessage());
                }
            }
            fetched += page.contacts().size();
            published += (int) ingest.ingestAll(Sources.CRM, events).stream().filter(r -> !r.duplicate()).count();
            newest = events.stream().map(e -> e.time().toInstant()).reduce(newest, CrmContactPull::later);
            pageToken = nextToken(page, tokensSeen);
        } while (pageToken != null);
        if (!refused.isEmpty()) {
            throw new CrmApiException("CRM API served " + refused.size() + " contact(s) that cannot be published ("
                    + String.join("; ", refused.subList(0, Math.min(3, refused.size()))) + ")");
        }
        return new PullResult(newest.toString(), fetched, published, fetched - published);
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
