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
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Timed evaluation failed; next run tries again");
        }
    }

    /** One evaluation, each part in its own transaction so that one failing does not hold back the others. */
    public void evaluate() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> storeSilent.evaluate(now));
        QuarkusTransaction.requiringNew().run(() -> pipelineHealth.evaluate(now));
        QuarkusTransaction.requiringNew().run(() -> lifecycle.advance(now));
    }
}
