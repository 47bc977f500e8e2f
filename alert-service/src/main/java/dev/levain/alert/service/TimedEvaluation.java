package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.JobRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * What time alone decides, every {@code levain.alert.evaluation-interval}: lifecycle steps, silent stores,
 * pipeline health, sales and customer figures. Once per interval cluster-wide: the replica holding the job's lease evaluates, the
 * others skip until it stops renewing it.
 */
@ApplicationScoped
public class TimedEvaluation {

    public static final String JOB = "timed-evaluation";

    private static final Logger LOG = Logger.getLogger(TimedEvaluation.class);

    private final AlertLifecycle lifecycle;
    private final StoreSilentRule storeSilent;
    private final PipelineHealthRule pipelineHealth;
    private final SalesRules salesRules;
    private final JobRepository jobs;
    private final Clock clock;
    private final Duration lease;
    private final String holder = ProcessToken.next();

    public TimedEvaluation(AlertLifecycle lifecycle, StoreSilentRule storeSilent, PipelineHealthRule pipelineHealth,
                           SalesRules salesRules, JobRepository jobs, AlertConfig config, Clock clock) {
        this.lifecycle = lifecycle;
        this.storeSilent = storeSilent;
        this.pipelineHealth = pipelineHealth;
        this.salesRules = salesRules;
        this.jobs = jobs;
        this.clock = clock;
        // One interval: the holder renews it each run; a replica that died is replaced one interval later.
        this.lease = DurationConverter.parseDuration(config.evaluationInterval());
    }

    @Scheduled(identity = JOB, every = "${levain.alert.evaluation-interval}",
            delayed = "${levain.alert.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (holdsLease()) {
            evaluate();
        }
    }

    /** Whether this replica evaluates this interval; not when the database cannot say. */
    boolean holdsLease() {
        try {
            return jobs.holdLease(JOB, holder, lease);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Cannot take the lease of %s; the next run tries again", JOB);
            return false;
        }
    }

    /**
     * One evaluation, each part in its own transaction and failing alone: Kafka being unreachable
     * for the lag check must not hold back reminders and resolutions.
     */
    public void evaluate() {
        Instant now = clock.instant();
        inTransaction("store-silent rules", () -> storeSilent.evaluate(now));
        inTransaction("pipeline-health rules", () -> pipelineHealth.evaluate(now));
        inTransaction("sales and customer rules", () -> salesRules.evaluate(now));
        inTransaction("alert lifecycle", () -> lifecycle.advance(now));
    }

    private static void inTransaction(String part, Runnable work) {
        try {
            QuarkusTransaction.requiringNew().run(work);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Evaluation of %s failed; the next run tries again", part);
        }
    }
}
