package dev.levain.alert.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * The clock every time decision reads, so that tests can move time instead of waiting. Ticks in
 * microseconds, PostgreSQL's precision: a time read back equals the time written.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
    }
}
