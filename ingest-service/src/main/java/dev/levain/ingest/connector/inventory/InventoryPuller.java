package dev.levain.ingest.connector.inventory;

import dev.levain.events.Sources;
import dev.levain.ingest.config.InventoryConfig;
import dev.levain.ingest.service.ConflictPolicy;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import dev.levain.ingest.service.pull.PullResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What both inventory pulls do: page through a listing of what changed since the cursor, publish each
 * valid entry as a raw event, and return the latest change seen as the next cursor.
 * <p>
 * Paging is by key, not by page number: each request asks {@code updated_since} = the latest
 * {@code updated_at} seen so far, page 1. With page numbers over a list sorted by {@code updated_at}, an
 * entry updated during the pull moves to the end and the entries behind it shift back a page, so one of
 * them would be skipped while the cursor moves past it for good. {@code updated_since} is inclusive, so
 * entries sharing the latest instant come back; those already published are duplicates and are not
 * published again.
 * <p>
 * An entry that cannot become an event is skipped, logged and counted as rejected; it does not stop the
 * pull, which would otherwise fail on it forever.
 */
@ApplicationScoped
public class InventoryPuller {

    private static final Logger LOG = Logger.getLogger(InventoryPuller.class);

    private final InventoryApiClient api;
    private final RawEventIngestService ingest;
    private final IngestMetrics metrics;
    private final InventoryConfig config;

    public InventoryPuller(InventoryApiClient api, RawEventIngestService ingest, IngestMetrics metrics,
                           InventoryConfig config) {
        this.api = api;
        this.ingest = ingest;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Pulls {@code path} from {@code cursor} on, reading each answer with {@code reader}. Throws
     * {@link InventoryApiException} when the API fails or sends an unreadable page; what earlier pages
     * published stays published and is deduplicated on the retry.
     */
    public <T extends InventoryItem> PullResult pull(String job, String path, String accept, Optional<String> cursor,
                                                     Function<InventoryApiClient.Answer, InventoryPage<T>> reader) {
        Instant startedAt = Instant.now();
        Instant since = cursor.map(c -> parseCursor(job, c)).orElse(Instant.EPOCH);
        Instant latest = since;
        int fetched = 0;
        int published = 0;
        int duplicates = 0;
        int rejected = 0;
        int page = 1;
        int requests = 0;
        boolean more;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("updated_since", since.toString());
            query.put("page", Integer.toString(page));
            query.put("page_size", Integer.toString(config.pageSize()));
            InventoryPage<T> read = read(path, page, api.get(path, query, accept), reader);
            requests++;
            List<RawEvent> events = new ArrayList<>();
            Instant newestOnPage = null;
            for (ReadItem<T> item : read.items()) {
                if (item.valid()) {
                    events.add(item.item().toRawEvent());
                    Optional<Instant> changedAt = item.item().changedAt();
                    if (changedAt.isPresent() && (newestOnPage == null || changedAt.get().isAfter(newestOnPage))) {
                        newestOnPage = changedAt.get();
                    }
                } else {
                    rejected++;
                    metrics.rejected(Sources.INVENTORY, "invalid");
                    LOG.warnf("Pull %s skips entry %d of the page since %s that the inventory API sent: %s", job,
                            item.index(), since, item.errors());
                }
            }
            // A count changed under an updated_at already received is kept, ordered by receipt.
            for (IngestResult result : ingest.ingestAll(Sources.INVENTORY, events, ConflictPolicy.KEEP_AS_CORRECTION)) {
                if (result.duplicate()) {
                    duplicates++;
                } else {
                    published++;
                }
            }
            fetched += read.items().size();
            if (newestOnPage != null && newestOnPage.isAfter(latest)) {
                latest = newestOnPage;
            }
            more = read.items().size() >= config.pageSize();
            if (more && newestOnPage != null && newestOnPage.isAfter(since)) {
                since = newestOnPage;
                page = 1;
            } else if (more) {
                // A full page with nothing newer than updated_since (all in one instant, or undated):
                // asking from the same instant again would serve the same page, so take the next one.
                page++;
            }
        } while (more && requests < config.maxPages());
        if (more) {
            LOG.warnf("Pull %s stopped after %d requests; the next pull goes on from %s", job, requests, latest);
        }
        return new PullResult(notAfter(latest, startedAt).toString(), fetched, published, duplicates, rejected);
    }

    /**
     * The cursor never goes past the time the pull started: an {@code updated_at} in the future (a wrong
     * clock at the source) would otherwise put every later, correctly dated update behind the cursor.
     */
    static Instant notAfter(Instant latest, Instant startedAt) {
        return latest.isAfter(startedAt) ? startedAt : latest;
    }

    private static <T extends InventoryItem> InventoryPage<T> read(String path, int page,
            InventoryApiClient.Answer answer, Function<InventoryApiClient.Answer, InventoryPage<T>> reader) {
        try {
            return reader.apply(answer);
        } catch (InvalidInputException e) {
            throw new InventoryApiException("Inventory API sent an unreadable page " + page + " of " + path + " ("
                    + answer.contentType() + "): " + e.getMessage(), e);
        }
    }

    private static Instant parseCursor(String job, String cursor) {
        try {
            return Instant.parse(cursor);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("The cursor of " + job + " is not an instant: " + cursor, e);
        }
    }
}
