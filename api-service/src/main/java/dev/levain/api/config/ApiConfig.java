package dev.levain.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
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

    /**
     * How long one SQL statement of the API may run before PostgreSQL cancels it (then 503 with Retry-After):
     * a PostgreSQL interval such as 10s or 500ms, set on every connection of the pool.
     */
    @WithDefault("10s")
    String statementTimeout();

    /** The bound on expensive KPI requests ({@code dev.levain.api.service.ExpensiveQueries}). */
    Expensive expensive();

    interface Expensive {

        /** How many may run at once in one instance (keep it well under the pool's max-size, 16). */
        @WithDefault("4")
        int atMost();

        /** How long one waits for room before it is refused with 503. */
        @WithDefault("PT0.5S")
        Duration queueWait();

        /** The Retry-After of a refusal. */
        @WithDefault("PT2S")
        Duration retryAfter();

        /** A period longer than this many days makes a sales, products or turnover request expensive. */
        @WithDefault("92")
        int overDays();
    }

    /** The normalizer's consumer group, whose lag on the raw topics is the pipeline's backlog. */
    @WithDefault("normalize-service")
    String normalizerGroup();

    /** normalize-service's admin API (replay, rejected events), called for admins. */
    Downstream normalize();

    /** alert-service's admin API (alert rules), called for admins. */
    Downstream alert();

    /** The sales report by e-mail ({@code dev.levain.api.service.ReportSender}). */
    Report report();

    interface Report {

        /**
         * Who receives it, each {@code address} (weekly) or {@code address:daily|weekly|monthly}; none, no report.
         */
        Optional<List<String>> recipients();

        /** The zone whose calendar cuts days, weeks (Monday to Sunday) and months, and in which it is sent. */
        @WithDefault("Europe/Paris")
        ZoneId zone();

        /** The time of day a report is sent once its period is over (the next morning, Monday, the 1st). */
        @WithDefault("07:00")
        LocalTime sendAt();

        /** How often every replica checks what is owed (a Quarkus {@code every}: 5m; off in tests, which call it). */
        @WithDefault("5m")
        String checkEvery();

        /** How long after start the first check waits. */
        @WithDefault("30s")
        String checkDelay();

        /** The sender, {@code levain.api.report.from}; the SMTP server is {@code levain.smtp.*}, as alert-service's. */
        @WithDefault("Levain reports <reports@levain.local>")
        String from();

        /**
         * How long each step of an SMTP send (connect, each read and write) may take before the send counts as
         * failed (tried again at the next check).
         */
        @WithDefault("PT60S")
        Duration sendTimeout();
    }

    /** A service this one calls on an admin's behalf, with that service's own admin token. */
    interface Downstream {
        Optional<String> url();

        Optional<String> token();

        /** How long to wait for its answer (a replay over much history takes minutes). */
        @WithDefault("PT5M")
        Duration timeout();
    }
}
