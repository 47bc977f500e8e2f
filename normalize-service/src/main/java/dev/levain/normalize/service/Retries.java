package dev.levain.normalize.service;

import dev.levain.normalize.config.NormalizeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retry rules of the normalizer. An outage (database restarting, broker away) holds the
 * partition until it ends, so no record is skipped; an event that fails the same way every time
 * is given up on after a few attempts and rejected, so that it does not hold the partition.
 */
@ApplicationScoped
public class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final NormalizeConfig config;

    public Retries(NormalizeConfig config) {
        this.config = config;
    }

    /**
     * Runs {@code work} until it succeeds, retrying transient failures without limit and others
     * up to {@code permanentAttempts} times in all.
     *
     * @throws RejectedEventException when {@code work} rejects the events or keeps failing for them
     */
    public <T> T forBatch(String what, int permanentAttempts, Supplier<T> work) {
        Duration backoff = FIRST_BACKOFF;
        int permanentFailures = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RejectedEventException e) {
                throw e;
            } catch (RuntimeException e) {
                if (!Failures.isTransient(e) && ++permanentFailures >= permanentAttempts) {
                    throw new RejectedEventException(what + " failed " + permanentFailures + " times: "
                            + Failures.rootMessage(e));
                }
                backoff = pause(what, attempt, backoff, e);
            }
        }
    }

    /**
     * Runs {@code work} until it succeeds, retrying transient failures without limit.
     *
     * @throws IllegalStateException when it keeps failing otherwise: the caller's channel then
     *     fails (health DOWN) rather than skip the record
     */
    public void untilDone(String what, Runnable work) {
        Duration backoff = FIRST_BACKOFF;
        int permanentFailures = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (!Failures.isTransient(e) && ++permanentFailures >= config.maxAttempts()) {
                    throw new IllegalStateException(what + " failed " + permanentFailures + " times", e);
                }
                backoff = pause(what, attempt, backoff, e);
            }
        }
    }

    private static Duration pause(String what, int attempt, Duration backoff, RuntimeException failure) {
        LOG.warnf("%s: attempt %d failed, retrying in %d ms: %s", what, attempt, backoff.toMillis(),
                Failures.rootMessage(failure));
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying " + what, e);
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }
}
