package dev.levain.ingest.connector.pos.square;

import dev.levain.events.Sources;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.config.SquareConfig;
import dev.levain.ingest.service.ConflictPolicy;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import dev.levain.ingest.service.pull.PullJob;
import dev.levain.ingest.service.pull.PullResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Finds Square orders whose webhooks were lost: searches each location's orders updated on its current
 * business day and publishes every one; the dedupe ledger turns those already received into duplicates,
 * so only the missing ones reach Kafka. The cursor ({@link SquareReconcileCursor}) is the last business day
 * reconciled for each location; a location's previous day is searched again on its first run of a new local
 * day, so its last minutes before midnight are covered whatever the other locations' time zones.
 */
@ApplicationScoped
public class SquareReconciliation implements PullJob {

    private static final Logger LOG = Logger.getLogger(SquareReconciliation.class);
    static final String NAME = "pos-square-reconcile";
    private static final String NO_LOCATION = "no-location";

    private final SquareConfig config;
    private final SquareApiClient api;
    private final RawEventIngestService ingest;

    public SquareReconciliation(SquareConfig config, SquareApiClient api, RawEventIngestService ingest) {
        this.config = config;
        this.api = api;
        this.ingest = ingest;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Source source() {
        return Source.POS;
    }

    @Override
    public Duration every() {
        return config.reconcileEvery();
    }

    /** Without an access token Square's APIs cannot be asked. */
    @Override
    public boolean enabled() {
        return config.accessToken().filter(t -> !t.isBlank()).isPresent();
    }

    @Override
    public PullResult pull(Optional<String> cursor) {
        SquareReconcileCursor last = SquareReconcileCursor.parse(cursor);
        Counts counts = new Counts();
        Map<String, LocalDate> reconciled = new TreeMap<>();
        for (SquareApiClient.Location location : locations()) {
            ZoneId zone = zone(location);
            LocalDate today = LocalDate.now(zone);
            for (LocalDate day : last.daysToSearch(location.id(), today)) {
                reconcile(location.id(), day, zone, counts);
            }
            reconciled.put(location.id(), today);
        }
        LOG.debugf("Square reconciliation: %d order(s) seen, %d published", counts.fetched, counts.published);
        String next = reconciled.isEmpty() ? cursor.orElse(NO_LOCATION) : SquareReconcileCursor.of(reconciled).toString();
        return new PullResult(next, counts.fetched, counts.published, counts.duplicates);
    }

    /** Later when no location went back a day and one went forward (or is new). */
    @Override
    public boolean isAfter(String next, String stored) {
        return SquareReconcileCursor.parse(Optional.of(next)).isAfter(SquareReconcileCursor.parse(Optional.of(stored)));
    }

    private List<SquareApiClient.Location> locations() {
        List<SquareApiClient.Location> all = api.locations();
        return config.locations()
                .map(wanted -> all.stream().filter(l -> wanted.contains(l.id())).toList())
                .orElse(all);
    }

    private void reconcile(String locationId, LocalDate day, ZoneId zone, Counts counts) {
        String page = null;
        do {
            SquareApiClient.OrderPage found = api.searchOrders(locationId, day.atStartOfDay(zone).toInstant(),
                    day.plusDays(1).atStartOfDay(zone).toInstant(), page);
            List<RawEvent> events = found.orders().stream().map(SquareOrder::toRawEvent).toList();
            // An order changed under a version already received is kept, as the webhook path does.
            List<IngestResult> results = ingest.ingestAll(Sources.POS_SQUARE, events, ConflictPolicy.KEEP_AS_CORRECTION);
            counts.add(results);
            page = found.cursor();
        } while (page != null);
    }

    private static ZoneId zone(SquareApiClient.Location location) {
        try {
            return ZoneId.of(location.timezone());
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    /** What one run saw; local to the run, so the bean itself keeps no state. */
    private static final class Counts {
        private int fetched;
        private int published;
        private int duplicates;

        void add(List<IngestResult> results) {
            fetched += results.size();
            results.forEach(r -> {
                if (r.duplicate()) {
                    duplicates++;
                } else {
                    published++;
                }
            });
        }
    }
}
