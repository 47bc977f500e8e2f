package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When the Slack webhook may be called next: one message per {@code min-interval} (Slack allows
 * about one per second), later when Slack answered 429 with a {@code Retry-After}. Kept in memory
 * on purpose: it paces this instance's dispatcher, and a restart only costs one early try.
 */
@ApplicationScoped
public class SlackPacer {

    private final AtomicReference<Instant> nextAllowed = new AtomicReference<>(Instant.MIN);
    private final Duration minInterval;

    public SlackPacer(AlertConfig config) {
        this.minInterval = config.slack().minInterval();
    }

    /** How long until the next message may leave (zero when it may now). */
    public Duration waitFrom(Instant now) {
        Instant next = nextAllowed.get();
        return now.isBefore(next) ? Duration.between(now, next) : Duration.ZERO;
    }

    /** A message leaves now: the next one waits at least the minimum interval. */
    public void sent(Instant now) {
        holdUntil(now.plus(minInterval));
    }

    public void holdUntil(Instant until) {
        nextAllowed.accumulateAndGet(until, (current, proposed) -> proposed.isAfter(current) ? proposed : current);
    }
}
