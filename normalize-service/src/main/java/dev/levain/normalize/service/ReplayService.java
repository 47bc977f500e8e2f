package dev.levain.normalize.service;

import dev.levain.normalize.messaging.Announcer;
import dev.levain.normalize.repository.RawEventRepository;
import dev.levain.normalize.repository.RawEventRepository.Filter;
import dev.levain.normalize.repository.RawEventRepository.Landed;
import dev.levain.normalize.repository.RejectedEventRepository;
import dev.levain.normalize.repository.RejectedEventRepository.Rejection;
import dev.levain.normalize.repository.RejectedEventRepository.Stored;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs normalization again over the landing table (one source, one type, a time window, or
 * everything) or over rejected events after a fix, through the same batch path as the live
 * consumer. On a replay an equal version is written again, so the result equals a first pass
 * with the current mappings, and the rollups stay exact.
 */
@ApplicationScoped
public class ReplayService {

    private static final int PAGE = 500;

    /** What a replay went through. */
    public record Outcome(long events, long sales, long inventoryLevels, long rejected) {

        Outcome plus(int events, Announcements announcements) {
            return new Outcome(this.events + events, sales + announcements.sales().size(),
                    inventoryLevels + announcements.inventory().size(), rejected + announcements.rejections().size());
        }
    }

    private final AgroalDataSource dataSource;
    private final RawEventRepository rawEvents;
    private final RejectedEventRepository rejectedEvents;
    private final BatchNormalizer normalizer;
    private final Announcer announcer;
    private final NormalizeMetrics metrics;

    public ReplayService(AgroalDataSource dataSource, RawEventRepository rawEvents,
                         RejectedEventRepository rejectedEvents, BatchNormalizer normalizer, Announcer announcer,
                         NormalizeMetrics metrics) {
        this.metrics = metrics;
        this.dataSource = dataSource;
        this.rawEvents = rawEvents;
        this.rejectedEvents = rejectedEvents;
        this.normalizer = normalizer;
        this.announcer = announcer;
    }

    /** Normalizes the landed raw events matching {@code filter} again, in landing order. */
    public Outcome replayLanded(Filter filter) throws SQLException {
        metrics.replayStarted();
        try {
            return landed(filter);
        } finally {
            metrics.replayEnded();
        }
    }

    private Outcome landed(Filter filter) throws SQLException {
        Outcome outcome = new Outcome(0, 0, 0, 0);
        long after = 0;
        while (true) {
            List<Landed> page;
            try (Connection connection = dataSource.getConnection()) {
                page = rawEvents.page(connection, filter, after, PAGE);
            }
            if (page.isEmpty()) {
                return outcome;
            }
            Announcements announcements = normalizer.normalize(page.stream().map(Landed::raw).toList(), true);
            announceAndWait(announcements);
            metrics.replayed("landed", page.size(), announcements.rejections().size());
            outcome = outcome.plus(page.size(), announcements);
            after = page.get(page.size() - 1).id();
        }
    }

    /** Normalizes rejected events again (optionally one type, or those whose reason contains a text). */
    public Outcome replayRejected(String type, String reasonContains) throws SQLException {
        metrics.replayStarted();
        try {
            return rejected(type, reasonContains);
        } finally {
            metrics.replayEnded();
        }
    }

    private Outcome rejected(String type, String reasonContains) throws SQLException {
        Outcome outcome = new Outcome(0, 0, 0, 0);
        long after = 0;
        while (true) {
            List<Stored> page;
            try (Connection connection = dataSource.getConnection()) {
                page = rejectedEvents.page(connection, type, reasonContains, after, PAGE);
            }
            if (page.isEmpty()) {
                return outcome;
            }
            List<RawEnvelope> raws = page.stream().map(Stored::raw).toList();
            Announcements announcements = normalizer.normalize(raws, true);
            markNormalized(raws, announcements.rejections());
            announceAndWait(announcements);
            metrics.replayed("rejected", page.size(), announcements.rejections().size());
            outcome = outcome.plus(page.size(), announcements);
            after = page.get(page.size() - 1).id();
        }
    }

    private void announceAndWait(Announcements announcements) {
        try {
            announcer.announceAndWait(announcements);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while announcing a replayed page", e);
        }
    }

    private void markNormalized(List<RawEnvelope> raws, List<Rejection> stillRejected) throws SQLException {
        Set<String> rejected = new HashSet<>();
        stillRejected.forEach(r -> rejected.add(coordinates(r.raw())));
        List<RawEnvelope> normalized = raws.stream().filter(raw -> !rejected.contains(coordinates(raw))).toList();
        try (Connection connection = dataSource.getConnection()) {
            rejectedEvents.markReplayed(connection, normalized);
        }
    }

    private static String coordinates(RawEnvelope raw) {
        return raw.topic() + "-" + raw.partition() + "@" + raw.offset();
    }
}
