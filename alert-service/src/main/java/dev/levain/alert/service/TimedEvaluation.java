package dev.levain.alert.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/** What time alone decides, every {@code levain.alert.evaluation-interval}: lifecycle steps, silent stores, pipeline health. */
@ApplicationScoped
public class TimedEvaluation {

    private static final Logger LOG = Logger.getLogger(TimedEvaluation.class);

    private final AlertLifecycle lifecycle;
    private final StoreSilentRule storeSilent;
    private final PipelineHealthRule pipelineHealth;
    private final Clock clock;

    public TimedEvaluation(AlertLifecycle lifecycle, StoreSilentRule storeSilent, PipelineHealthRule pipelineHealth,
                           Clock clock) {
        this.lifecycle = lifecycle;
        this.storeSilent = storeSilent;
        this.pipelineHealth = pipelineHealth;
        this.clock = clock;
    }

    @Scheduled(every = "${levain.alert.evaluation-interval}", delayed = "${levain.alert.evaluation-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        evaluate();
    }

    /**
     * One evaluation, each part in its own transaction and failing alone: Kafka being unreachable
     * for the lag check must not hold back reminders and resolutions.
     */
    public void evaluate() {
        Instant now = clock.instant();
        inTransaction("store-silent rules", () -> storeSilent.evaluate(now));
        inTransaction("pipeline-health rules", () -> pipelineHealth.evaluate(now));
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
