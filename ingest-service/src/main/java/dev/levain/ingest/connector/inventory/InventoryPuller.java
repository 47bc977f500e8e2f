package dev.levain.ingest.connector.inventory;

import dev.levain.events.Sources;
import dev.levain.ingest.config.InventoryConfig;
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
 * {@code updated_since} is inclusive, so entries changed in the same instant as the cursor but sent
 * after the last pull are not missed; those already published come back as duplicates and are not
 * published again.
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
        Instant since = cursor.map(c -> parseCursor(job, c)).orElse(Instant.EPOCH);
        Instant latest = since;
        int fetched = 0;
        int published = 0;
        int duplicates = 0;
        int page = 1;
        int totalPages;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("updated_since", since.toString());
            query.put("page", Integer.toString(page));
            InventoryPage<T> read = read(path, page, api.get(path, query, accept), reader);
            List<RawEvent> events = new ArrayList<>();
            for (ReadItem<T> item : read.items()) {
                if (item.valid()) {
                    events.add(item.item().toRawEvent());
                    latest = item.item().changedAt().filter(latest::isBefore).orElse(latest);
                } else {
                    metrics.rejected(Sources.INVENTORY, "invalid");
                    LOG.warnf("Pull %s skips entry %d of page %d that the inventory API sent: %s", job, item.index(),
                            page, item.errors());
                }
            }
            for (IngestResult result : ingest.ingestAll(Sources.INVENTORY, events)) {
                if (result.duplicate()) {
                    duplicates++;
                } else {
                    published++;
                }
            }
            fetched += read.items().size();
            totalPages = read.totalPages();
            page++;
        } while (page <= totalPages && page <= config.maxPages());
        if (page <= totalPages) {
            LOG.warnf("Pull %s stopped after %d pages of %d; the next pull goes on from %s", job, config.maxPages(),
                    totalPages, latest);
        }
        return new PullResult(latest.toString(), fetched, published, duplicates);
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
