package dev.levain.ingest.service.pull;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * DOWN while a pulled source keeps failing. A wellness check, not readiness: a CRM outage must not take
 * the webhooks of the same deployment out of the load balancer.
 */
@Wellness
@ApplicationScoped
public class PullHealthCheck implements HealthCheck {

    private final PullScheduler scheduler;

    public PullHealthCheck(PullScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Scheduled pulls").up();
        for (PullStatus status : scheduler.statuses()) {
            if (!status.healthy()) {
                response.down();
            }
            response.withData(status.job(), status.healthy()
                    ? "ok" + (status.lastSuccessAt() == null ? " (not run yet)" : ", last success " + status.lastSuccessAt())
                    : status.consecutiveFailures() + " failure(s) in a row, last: " + status.lastError()
                            + "; next try " + status.nextAttemptAt());
        }
        return response.build();
    }
}
