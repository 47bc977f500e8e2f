package dev.levain.ingest.service.pull;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.repository.PullCursorRepository;
import dev.levain.ingest.service.IngestSources;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs every {@link PullJob} of the served sources on its interval. A failed pull keeps its cursor
 * and is retried with exponential backoff (doubling from the job's interval up to
 * {@code levain.ingest.pull-max-backoff}); the status of each job is kept for health and the API.
 */
@Singleton
public class PullScheduler {

    private static final Logger LOG = Logger.getLogger(PullScheduler.class);

    private final Map<String, PullJob> jobs;
    private final PullCursorRepository cursors;
    private final Scheduler scheduler;
    private final IngestConfig config;
    // The only mutable state here: what each job did last, and one lock per job so a manual run
    // and a scheduled one never pull the same window twice at once.
    private final Map<String, PullStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public PullScheduler(Instance<PullJob> jobs, IngestSources sources, PullCursorRepository cursors,
                         Scheduler scheduler, IngestConfig config) {
        this.jobs = jobs.stream()
                .filter(job -> sources.serves(job.source()) && job.enabled())
                .collect(Collectors.toUnmodifiableMap(PullJob::name, Function.identity()));
        this.cursors = cursors;
        this.scheduler = scheduler;
        this.config = config;
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
    }

    /** The status of every pull job this deployment runs. */
    public List<PullStatus> statuses() {
        return jobs.values().stream().map(job -> status(job)).sorted((a, b) -> a.job().compareTo(b.job())).toList();
    }

    public Collection<String> jobNames() {
        return jobs.keySet();
    }

    /** Runs {@code name} now, whatever its schedule; returns its status afterwards. */
    public PullStatus runNow(String name) {
        PullJob job = jobs.get(name);
        if (job == null) {
            throw new NoSuchElementException("No pull job named " + name + "; known: " + jobs.keySet());
        }
        run(job);
        return status(job);
    }

    private void runIfDue(String name) {
        PullJob job = jobs.get(name);
        if (!Instant.now().isBefore(status(job).nextAttemptAt())) {
            run(job);
        }
    }

    private void run(PullJob job) {
        ReentrantLock lock = locks.computeIfAbsent(job.name(), n -> new ReentrantLock());
        lock.lock();
        try {
            PullStatus before = status(job);
            Instant started = Instant.now();
            try {
                Optional<String> cursor = cursors.find(job.name());
                PullResult result = job.pull(cursor);
                if (!result.nextCursor().equals(cursor.orElse(null))) {
                    cursors.save(job.name(), result.nextCursor());
                }
                statuses.put(job.name(), before.succeeded(result, started, started.plus(job.every())));
            } catch (RuntimeException e) {
                Duration backoff = backoff(job, before.consecutiveFailures() + 1);
                LOG.warnf("Pull %s failed (attempt %d), next try in %s: %s", job.name(),
                        before.consecutiveFailures() + 1, backoff, e.getMessage());
                statuses.put(job.name(), before.failed(describe(e), started, started.plus(backoff)));
            }
        } finally {
            lock.unlock();
        }
    }

    private PullStatus status(PullJob job) {
        return statuses.computeIfAbsent(job.name(), n -> PullStatus.initial(job, storedCursor(job)));
    }

    /** Where the job resumes after a restart, shown before its first run here; null when unknown. */
    private String storedCursor(PullJob job) {
        try {
            return cursors.find(job.name()).orElse(null);
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

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() != null && e.getCause().getMessage() != null && !message.contains(e.getCause().getMessage())
                ? message + ": " + e.getCause().getMessage()
                : message;
    }
}
