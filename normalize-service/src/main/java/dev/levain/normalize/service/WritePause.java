package dev.levain.normalize.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the normalizer's writes: DOWN while a batch waits on a database that refuses the
 * work for a reason of its setup (a revoked grant, a table a half-rolled deploy has not created),
 * so that an operator sees it; UP again as soon as that batch goes through. The state is this
 * process's own (what its workers are stuck on), not shared between replicas.
 */
// @Default beside @Readiness: Retries injects it to report pauses.
@Readiness
@Default
@ApplicationScoped
public class WritePause implements HealthCheck {

    private final Map<String, Paused> paused = new ConcurrentHashMap<>();

    private record Paused(String reason, Instant since) {
    }

    /** The work named {@code what} is waiting for an operator: {@code reason} says on what. */
    void pause(String what, String reason) {
        paused.compute(what, (key, before) -> new Paused(reason, before == null ? Instant.now() : before.since()));
    }

    /** The work named {@code what} went through. */
    void resume(String what) {
        paused.remove(what);
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("normalizer writes").up();
        if (!paused.isEmpty()) {
            response.down();
            paused.forEach((what, p) -> response.withData(what, "paused since " + p.since() + ": " + p.reason()));
        }
        return response.build();
    }
}
