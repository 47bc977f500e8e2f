package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how many expensive KPI requests (those that scan sales rather than read day rollups: customer counts,
 * cohorts, goal progress, another time zone, long periods) run at once in this instance, so that a burst of
 * them cannot take the connection pool from the cheap ones nor load the database the normalizer writes to.
 * A request that finds no room within {@code levain.api.expensive.queue-wait} is refused with
 * {@link BusyException} (503 with Retry-After), never queued without end.
 */
@ApplicationScoped
public class ExpensiveQueries {

    private final Semaphore running;
    private final ApiConfig.Expensive config;

    public ExpensiveQueries(ApiConfig config) {
        this.config = config.expensive();
        this.running = new Semaphore(this.config.atMost(), true);
    }

    /** Runs {@code query} when the query is expensive (see {@link KpiQuery#expensive}), else at once. */
    public <T> T run(KpiQuery query, Supplier<T> work) {
        return query.expensive(config.overDays()) ? run(work) : work.get();
    }

    /** Runs {@code work} as an expensive request: within the bound, or refused. */
    public <T> T run(Supplier<T> work) {
        if (!admitted()) {
            throw new BusyException("More than " + config.atMost() + " expensive KPI requests are running on this "
                    + "instance; try again shortly", config.retryAfter());
        }
        try {
            return work.get();
        } finally {
            running.release();
        }
    }

    private boolean admitted() {
        try {
            return running.tryAcquire(config.queueWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
