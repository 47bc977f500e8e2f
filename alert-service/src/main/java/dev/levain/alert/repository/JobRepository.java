package dev.levain.alert.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/** Which replica runs a scheduled job: a claim per period ({@code alerts.job_run}) or a lease ({@code alerts.job_lease}). */
@ApplicationScoped
public class JobRepository {

    // The holder renews its own lease; anyone takes a lease that has run out. Times are the database's,
    // so replicas with skewed clocks still agree on when a lease ends.
    private static final String HOLD_LEASE = "INSERT INTO alerts.job_lease AS lease (job, held_by, held_until) "
            + "VALUES (?, ?, clock_timestamp() + ?::double precision * interval '1 microsecond') "
            + "ON CONFLICT (job) DO UPDATE SET held_by = EXCLUDED.held_by, held_until = EXCLUDED.held_until "
            + "WHERE lease.held_by = EXCLUDED.held_by OR lease.held_until <= clock_timestamp()";

    private final Sql sql;

    public JobRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * Claims the run of {@code job} for {@code period}; false when another replica (or an earlier run)
     * has it. Joins the caller's transaction: a concurrent claim waits for it, and a rollback frees the period.
     */
    public boolean claimRun(String job, String period, String claimant, Instant now) {
        return sql.update("INSERT INTO alerts.job_run (job, period, claimed_by, claimed_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", job, period, claimant, now) == 1;
    }

    /** Takes or renews the lease of {@code job} for {@code length}; false while another holder's lease runs. */
    public boolean holdLease(String job, String holder, Duration length) {
        return sql.update(HOLD_LEASE, job, holder, micros(length)) == 1;
    }

    static long micros(Duration duration) {
        return duration.toNanos() / 1000;
    }
}
