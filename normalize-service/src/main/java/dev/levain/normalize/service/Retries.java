package dev.levain.normalize.service;

import dev.levain.normalize.config.NormalizeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
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

    private static final int CONTENTION_BACKOFF_MILLIS = 50;

    private final NormalizeConfig config;
    private final WritePause pause;

    public Retries(NormalizeConfig config, WritePause pause) {
        this.config = config;
        this.pause = pause;
    }

    /**
     * Runs {@code work} until it succeeds, retrying transient failures without limit and others
     * up to {@code permanentAttempts} times in all. Contention with another transaction is retried
     * at once (after a short random pause); a database that refuses the work for its setup's sake
     * (class 42: privilege, undefined table) pauses the work with readiness DOWN until it is fixed.
     *
     * @throws RejectedEventException when {@code work} rejects the events or keeps failing for them
     */
    public <T> T forBatch(String what, int permanentAttempts, Supplier<T> work) {
        Duration backoff = FIRST_BACKOFF;
        int permanentFailures = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                T done = work.get();
                pause.resume(what);
                return done;
            } catch (RejectedEventException e) {
                pause.resume(what);
                throw e;
            } catch (RuntimeException e) {
                if (Failures.isContention(e)) {
                    LOG.debugf("%s: attempt %d met another transaction, again: %s", what, attempt, Failures.rootMessage(e));
                    sleep(what, ThreadLocalRandom.current().nextInt(1, CONTENTION_BACKOFF_MILLIS));
                    continue;
                }
                if (Failures.isEnvironment(e)) {
                    pause.pause(what, Failures.rootMessage(e));
                } else if (!Failures.isTransient(e) && ++permanentFailures >= permanentAttempts) {
                    pause.resume(what);
                    throw new RejectedEventException(what + " failed " + permanentFailures + " times: "
                            + Failures.rootMessage(e));
                }
                backoff = pause(what, attempt, backoff, e);
            }
        }
    }

    private static void sleep(String what, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying " + what, e);
        }
    }

    private static Duration pause(String what, int attempt, Duration backoff, RuntimeException failure) {
        LOG.warnf("%s: attempt %d failed, retrying in %d ms: %s", what, attempt, backoff.toMillis(),
                Failures.rootMessage(failure));
        sleep(what, backoff.toMillis());
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }
}
