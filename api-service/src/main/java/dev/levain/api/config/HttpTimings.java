package dev.levain.api.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Request timings per endpoint (Quarkus tags {@code http.server.requests} with the URI template, never the
 * raw path) with a few histogram buckets, one at the 20 ms p95 target of DESIGN.md §7: the share of
 * requests slower than the target is then exact, and p95 can be estimated across replicas.
 */
public class HttpTimings {

    /** The KPI API's latency target (DESIGN.md §7: p95 ≤ 20 ms). */
    public static final Duration TARGET = Duration.ofMillis(20);

    private static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    @Produces
    @Singleton
    MeterFilter requestBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(nanos(5), nanos(10), nanos(TARGET.toMillis()), nanos(50), nanos(100),
                                nanos(250), nanos(1000), nanos(5000))
                        .build().merge(config);
            }
        };
    }

    private static double nanos(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
