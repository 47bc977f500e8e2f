package dev.levain.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** api-service settings ({@code levain.api.*}). */
@ConfigMapping(prefix = "levain.api")
public interface ApiConfig {

    /** The longest period a KPI query may cover, in days (from and to included). */
    @WithDefault("1096")
    int maxRangeDays();

    /** The period a KPI query covers when it gives no from/to: this many days ending today. */
    @WithDefault("30")
    int defaultRangeDays();

    /**
     * The largest request body (goals, replays and alert rules are a few hundred bytes); past it, 413 problem+json.
     * Keep it well under {@code quarkus.http.limits.max-body-size}, whose own 413 has no body.
     */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** The normalizer's consumer group, whose lag on the raw topics is the pipeline's backlog. */
    @WithDefault("normalize-service")
    String normalizerGroup();

    /** normalize-service's admin API (replay, rejected events), called for admins. */
    Downstream normalize();

    /** alert-service's admin API (alert rules), called for admins. */
    Downstream alert();

    /** A service this one calls on an admin's behalf, with that service's own admin token. */
    interface Downstream {
        Optional<String> url();

        Optional<String> token();

        /** How long to wait for its answer (a replay over much history takes minutes). */
        @WithDefault("PT5M")
        Duration timeout();
    }
}
