package dev.levain.alert.service;

import dev.levain.alert.repository.AlertFigures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * alert-service's figures at {@code /q/metrics}: rule evaluations per rule kind, alerts firing, the
 * outbox's depth and the age of its oldest undelivered message per channel, and delivery attempts per
 * channel and outcome ({@code sent}, {@code retry}). The gauges read the database when scraped, so
 * every replica reports the same cluster-wide figure: take their {@code max}, not their sum.
 */
@Startup
@ApplicationScoped
public class AlertMetrics {

    private static final List<String> CHANNELS = List.of(Notification.SLACK, Notification.EMAIL, Notification.DIGEST);

    private final MeterRegistry registry;

    public AlertMetrics(MeterRegistry registry, AlertFigures figures, Clock clock) {
        this.registry = registry;
        Gauge.builder("levain.alert.firing", figures, AlertFigures::firing)
                .description("Alerts firing now, cluster-wide").strongReference(true).register(registry);
        for (String channel : CHANNELS) {
            Gauge.builder("levain.alert.outbox.depth", figures, f -> f.pending(channel))
                    .description("Notifications not delivered yet, cluster-wide").tag("channel", channel)
                    .strongReference(true).register(registry);
            Gauge.builder("levain.alert.outbox.oldest", figures, f -> f.oldestPending(channel, clock.instant()).toMillis() / 1000.0)
                    .description("Seconds the oldest undelivered notification has waited, cluster-wide")
                    .baseUnit("seconds").tag("channel", channel).strongReference(true).register(registry);
        }
    }

    /** One evaluation of a rule's condition for one subject. */
    public void evaluated(Rule rule) {
        Counter.builder("levain.alert.evaluations").description("Rule conditions evaluated, by rule kind")
                .tag("kind", rule.kind()).register(registry).increment();
    }

    /** One delivery attempt on {@code channel}, {@code sent} or {@code retry}, as recorded in the outbox. */
    public void attempted(String channel, String outcome) {
        Counter.builder("levain.alert.delivery.attempts").description("Notification delivery attempts")
                .tag("channel", channel).tag("outcome", outcome).register(registry).increment();
    }
}
