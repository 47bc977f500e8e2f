package dev.levain.ingest.service.pull;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.repository.PullLeaseRepository;
import dev.levain.ingest.service.IngestSources;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs every {@link PullJob} of the served sources on its interval, once across all replicas: a run first takes
 * the job's lease in PostgreSQL ({@link PullLeaseRepository}), and a replica that cannot take it skips that round.
 * A failed pull keeps its cursor and is retried with exponential backoff (doubling from the job's interval up to
 * {@code levain.ingest.pull-max-backoff}); cursors only move forward ({@link PullCursors}); the status of each
 * job is kept for health and the API.
 */
@Singleton
public class PullScheduler {

    private static final Logger LOG = Logger.getLogger(PullScheduler.class);

    private final Map<String, PullJob> jobs;
    private final PullCursors cursors;
    private final PullLeaseRepository leases;
    private final Scheduler scheduler;
    private final IngestConfig config;
    /** This replica, as the holder of the leases it takes. */
    private final String instanceId;
    // The only mutable state here: what each job did last, the leases this replica holds (renewed while
    // their pulls run), and one lock per job so a manual run and a scheduled one here never overlap.
    private final Map<String, PullStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Each round is a trace of its own (a child of the request's, for a run asked over HTTP). */
    private Tracer tracer = OpenTelemetry.noop().getTracer("dev.levain.ingest");

    @Inject
    public PullScheduler(Instance<PullJob> jobs, IngestSources sources, PullCursors cursors, PullLeaseRepository leases,
                         Scheduler scheduler, IngestConfig config, Tracer tracer) {
        this(jobs, sources, cursors, leases, scheduler, config, newInstanceId());
        this.tracer = tracer;
    }

    /** A scheduler acting as replica {@code instanceId} (its pulls traced nowhere). */
    public PullScheduler(Instance<PullJob> jobs, IngestSources sources, PullCursors cursors, PullLeaseRepository leases,
                         Scheduler scheduler, IngestConfig config, String instanceId) {
        this.jobs = jobs.stream()
                .filter(job -> sources.serves(job.source()) && job.enabled())
                .collect(Collectors.toUnmodifiableMap(PullJob::name, Function.identity()));
        this.cursors = cursors;
        this.leases = leases;
        this.scheduler = scheduler;
        this.config = config;
        this.instanceId = instanceId;
    }

    void schedule(@Observes StartupEvent start) {
        for (PullJob job : jobs.values()) {
            // Ticks come often; run() decides whether the job is due, which is how backoff works.
            scheduler.newJob("pull-" + job.name())
                    .setInterval(tick(job).toMillis() + "ms")
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> runIfDue(job.name()))
                    .schedule();
            LOG.infof("Pull %s scheduled every %s", job.name(), job.every());
        }
        if (!jobs.isEmpty()) {
            Duration third = config.pullLease().dividedBy(3);
            scheduler.newJob("pull-lease-renewal")
                    .setInterval(Math.max(1000, third.toMillis()) + "ms")
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> renewHeldLeases())
                    .schedule();
        }
    }

    /** The status of every pull job this deployment runs. */
    public List<PullStatus> statuses() {
        return jobs.values().stream().map(job -> status(job)).sorted((a, b) -> a.job().compareTo(b.job())).toList();
    }

    public Collection<String> jobNames() {
        return jobs.keySet();
    }

    /**
     * Runs {@code name} now, whatever its schedule, unless another replica is running it at this moment;
     * returns its status afterwards (as this replica last saw it, when the other replica had it).
     */
    public PullStatus runNow(String name) {
        PullJob job = jobs.get(name);
        if (job == null) {
            throw new NoSuchElementException("No pull job named " + name + "; known: " + jobs.keySet());
        }
        run(job, true);
        return status(job);
    }

    private void runIfDue(String name) {
        PullJob job = jobs.get(name);
        if (!Instant.now().isBefore(status(job).nextAttemptAt())) {
            run(job, false);
        }
    }

    private void run(PullJob job, boolean evenIfNotDue) {
        ReentrantLock lock = locks.computeIfAbsent(job.name(), n -> new ReentrantLock());
        lock.lock();
        try {
            PullStatus before = status(job);
            Instant started = Instant.now();
            if (!takeLease(job, before, started, evenIfNotDue)) {
                return;
            }
            Instant nextRunAt = started.plus(job.every());
            try {
                PullStatus after = pull(job, before, started);
                statuses.put(job.name(), after);
                nextRunAt = after.nextAttemptAt();
            } finally {
                // Released whatever happened: a lease kept by a live replica would only be renewed forever.
                releaseLease(job, Duration.between(Instant.now(), nextRunAt));
            }
        } finally {
            lock.unlock();
        }
    }

    private PullStatus pull(PullJob job, PullStatus before, Instant started) {
        Span span = tracer.spanBuilder("pull " + job.name()).startSpan();
        try (Scope traced = span.makeCurrent()) {
            return pullTraced(job, before, started);
        } finally {
            span.end();
        }
    }

    private PullStatus pullTraced(PullJob job, PullStatus before, Instant started) {
        try {
            PullResult result = job.pull(cursors.find(job));
            String stored = cursors.advance(job, result.nextCursor());
            return before.succeeded(result, stored, started, started.plus(job.every()));
        } catch (RuntimeException e) {
            Duration backoff = backoff(job, before.consecutiveFailures() + 1);
            LOG.warnf("Pull %s failed (attempt %d), next try in %s: %s", job.name(),
                    before.consecutiveFailures() + 1, backoff, e.getMessage());
            return before.failed(describe(e), started, started.plus(backoff));
        }
    }

    /**
     * Takes the job's lease; false when another replica holds it (or it is not due there yet), or when
     * PostgreSQL cannot be asked: then this round is not run here, and only the latter counts as a failure.
     */
    private boolean takeLease(PullJob job, PullStatus before, Instant started, boolean evenIfNotDue) {
        try {
            if (leases.take(job.name(), instanceId, config.pullLease(), evenIfNotDue)) {
                held.add(job.name());
                return true;
            }
            LOG.debugf("Pull %s skipped here: another replica holds its lease, or ran it lately", job.name());
            return false;
        } catch (LedgerUnavailableException e) {
            Duration backoff = backoff(job, before.consecutiveFailures() + 1);
            LOG.warnf("Pull %s not run this round, next try in %s: %s", job.name(), backoff, describe(e));
            statuses.put(job.name(), before.failed(describe(e), started, started.plus(backoff)));
            return false;
        }
    }

    private void releaseLease(PullJob job, Duration nextRunIn) {
        held.remove(job.name());
        try {
            leases.release(job.name(), instanceId, nextRunIn);
        } catch (LedgerUnavailableException e) {
            // It expires on its own; another replica then runs the job.
            LOG.warnf("Pull %s could not release its lease: %s", job.name(), describe(e));
        }
    }

    private void renewHeldLeases() {
        for (String job : held) {
            try {
                if (!leases.renew(job, instanceId, config.pullLease())) {
                    LOG.warnf("Pull %s lost its lease while running (it expired); its cursor still only moves forward", job);
                }
            } catch (LedgerUnavailableException e) {
                LOG.warnf("Pull %s could not renew its lease: %s", job, describe(e));
            }
        }
    }

    private PullStatus status(PullJob job) {
        return statuses.computeIfAbsent(job.name(), n -> PullStatus.initial(job, storedCursor(job)));
    }

    /** Where the job resumes after a restart, shown before its first run here; null when unknown. */
    private String storedCursor(PullJob job) {
        try {
            return cursors.find(job).orElse(null);
        } catch (LedgerUnavailableException e) {
            return null;
        }
    }

    private Duration backoff(PullJob job, int failures) {
        Duration delay = job.every().multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(config.pullMaxBackoff()) > 0 ? config.pullMaxBackoff() : delay;
    }

    private static Duration tick(PullJob job) {
        // The scheduler's finest interval is a second.
        Duration quarter = job.every().dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
    }

    private static String newInstanceId() {
        // The pod name where there is one (Kubernetes sets HOSTNAME), made unique per process start.
        return System.getenv().getOrDefault("HOSTNAME", "ingest") + "/" + UUID.randomUUID();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() != null && e.getCause().getMessage() != null && !message.contains(e.getCause().getMessage())
                ? message + ": " + e.getCause().getMessage()
                : message;
    }
}
