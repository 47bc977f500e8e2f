package dev.levain.alert.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock in tests: real time plus an offset that tests move forward (never back, so
 * that nothing already scheduled goes stale), instead of sleeping through pending periods,
 * reminders and cooldowns.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        // Microseconds, like the production clock and PostgreSQL.
        return Instant.now().plus(offset.get()).truncatedTo(ChronoUnit.MICROS);
    }

    public void advance(Duration duration) {
        offset.updateAndGet(current -> current.plus(duration));
    }

    /** Moves forward to {@code target}, which must not be in the clock's past. */
    public void moveTo(Instant target) {
        Duration step = Duration.between(instant(), target);
        if (step.isNegative()) {
            throw new IllegalArgumentException("The test clock only moves forward: " + target + " is past");
        }
        advance(step);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Always UTC");
    }
}
