package dev.levain.normalize.service;

import dev.levain.events.LogContext;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.mapping.CanonicalRecord;
import dev.levain.normalize.mapping.CanonicalRefund;
import dev.levain.normalize.mapping.CanonicalSale;
import dev.levain.normalize.mapping.CanonicalStockLevel;
import dev.levain.normalize.mapping.StoreCatalog;
import dev.levain.normalize.repository.RejectedEventRepository.Rejection;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Normalizes a batch of raw events in one transaction. Events that cannot be mapped are rejected
 * (kept with their reason) without holding the others back. An outage is retried until it ends;
 * a batch that fails otherwise is split and written an event at a time, so that the one event the
 * database refuses is rejected and every other event still lands.
 */
@ApplicationScoped
public class BatchNormalizer {

    private static final Logger LOG = Logger.getLogger(BatchNormalizer.class);

    private final MapperRegistry mappers;
    private final ModelWriter writer;
    private final AgroalDataSource dataSource;
    private final Retries retries;
    private final NormalizeConfig config;
    private final StoreCatalog stores;

    public BatchNormalizer(MapperRegistry mappers, ModelWriter writer, AgroalDataSource dataSource, Retries retries,
                           NormalizeConfig config, StoreCatalog stores) {
        this.stores = stores;
        this.mappers = mappers;
        this.writer = writer;
        this.dataSource = dataSource;
        this.retries = retries;
        this.config = config;
    }

    /** Writes the batch (committed when this returns) and says what to announce. */
    public Announcements normalize(List<RawEnvelope> batch, boolean replay) {
        // The stores as they are when the batch begins (an admin's edit a moment ago included).
        retries.forBatch("reading the stores", Integer.MAX_VALUE, () -> {
            stores.refresh();
            return null;
        });
        List<MappedEvent> mapped = new ArrayList<>(batch.size());
        List<Rejection> rejections = new ArrayList<>();
        for (RawEnvelope raw : batch) {
            try {
                mapped.add(new MappedEvent(raw, mappers.map(raw)));
            } catch (RejectedEventException e) {
                rejections.add(new Rejection(raw, e.getMessage()));
            }
        }
        // A batch of one store's events (a webhook's sale, a till's upload) says so in each of its log lines.
        LogContext.store(onlyStore(mapped));
        try {
            return write(mapped, rejections, replay);
        } finally {
            LogContext.store(null);
        }
    }

    /** The store all of these events are about, if they are about one only. */
    private static String onlyStore(List<MappedEvent> mapped) {
        Set<String> stores = new HashSet<>();
        for (MappedEvent event : mapped) {
            for (CanonicalRecord record : event.records()) {
                if (record instanceof CanonicalSale sale) {
                    stores.add(sale.storeCode());
                } else if (record instanceof CanonicalRefund refund) {
                    stores.add(refund.storeCode());
                } else if (record instanceof CanonicalStockLevel level) {
                    stores.add(level.storeCode());
                }
            }
        }
        return stores.size() == 1 ? stores.iterator().next() : null;
    }

    private Announcements write(List<MappedEvent> mapped, List<Rejection> rejections, boolean replay) {
        String what = describe(mapped, rejections);
        try {
            // A batch the database refuses is split at once; a single event gets a few tries first.
            int attempts = mapped.size() + rejections.size() == 1 ? config.maxAttempts() : 1;
            return retries.forBatch(what, attempts, () -> inTransaction(mapped, rejections, replay));
        } catch (RejectedEventException e) {
            if (mapped.size() + rejections.size() == 1) {
                List<Rejection> rejected = new ArrayList<>(rejections);
                mapped.forEach(m -> rejected.add(new Rejection(m.raw(), e.getMessage())));
                LOG.warnf("Rejected %s: %s", what, e.getMessage());
                return retries.forBatch("rejecting " + what, config.maxAttempts(), () -> inTransaction(List.of(), rejected, replay));
            }
            LOG.warnf("%s failed; writing its events one at a time to find the one at fault", what);
            return oneByOne(mapped, rejections, replay);
        }
    }

    private Announcements oneByOne(List<MappedEvent> mapped, List<Rejection> rejections, boolean replay) {
        List<Announcements> parts = new ArrayList<>();
        if (!rejections.isEmpty()) {
            parts.add(write(List.of(), rejections, replay));
        }
        mapped.forEach(event -> parts.add(write(List.of(event), List.of(), replay)));
        return new Announcements(
                parts.stream().flatMap(p -> p.sales().stream()).toList(),
                parts.stream().flatMap(p -> p.inventory().stream()).toList(),
                parts.stream().flatMap(p -> p.rejections().stream()).toList());
    }

    private Announcements inTransaction(List<MappedEvent> mapped, List<Rejection> rejections, boolean replay) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Announcements announcements = writer.write(connection, mapped, rejections, replay);
                connection.commit();
                if (LOG.isDebugEnabled()) {
                    LOG.debugf("Wrote %s: %d sales, %d stock levels, %d rejected", describe(mapped, rejections),
                            announcements.sales().size(), announcements.inventory().size(), rejections.size());
                }
                return announcements;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Writing the batch failed: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String describe(List<MappedEvent> mapped, List<Rejection> rejections) {
        List<RawEnvelope> raws = new ArrayList<>();
        mapped.forEach(m -> raws.add(m.raw()));
        rejections.forEach(r -> raws.add(r.raw()));
        if (raws.isEmpty()) {
            return "empty batch";
        }
        RawEnvelope first = raws.get(0);
        String at = first.topic() + "-" + first.partition() + "@" + first.offset();
        if (raws.size() == 1) {
            return "raw event " + first.eventId() + " at " + at;
        }
        return "batch of " + raws.size() + " raw events from " + at;
    }
}
