package dev.levain.alert.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of alert-service ({@code levain.alert.*}); production values come from the environment. */
@ConfigMapping(prefix = "levain.alert")
public interface AlertConfig {

    /**
     * Bearer token of the admin API (rules, silences, history) until issue 6 brings JWT roles;
     * none set = every admin request refused.
     */
    Optional<String> adminToken();

    /** Linked from every message. */
    @WithDefault("http://localhost:8080/")
    String dashboardUrl();

    /** How long a condition must hold before its alert fires. */
    @WithDefault("PT2M")
    Duration pendingPeriod();

    /** Reminder interval while an alert keeps firing. */
    @WithDefault("PT4H")
    Duration repeatInterval();

    /** How long a firing condition must stay clear before it is resolved: flapping around a threshold stays one alert. */
    @WithDefault("PT10M")
    Duration cooldown();

    /** How long a new message waits for more alerts of its group (rule × store) to join it. */
    @WithDefault("PT30S")
    Duration groupWait();

    /** How often time-driven rules run (pending periods, reminders, cooldowns, silent stores, pipeline health). */
    @WithDefault("15s")
    String evaluationInterval();

    /** When the daily digest of open alerts is queued (Quartz-style cron, in {@link #digestZone()}). */
    @WithDefault("0 0 7 * * ?")
    String digestCron();

    /** Time zone of the digest's cron and of its day: one digest per day in this zone, whatever the replicas. */
    @WithDefault("UTC")
    String digestZone();

    /** Days of sales the daily sales rate of days-of-supply rules is averaged over. */
    @WithDefault("7")
    int salesRateDays();

    Dispatcher dispatcher();

    Slack slack();

    Email email();

    Pipeline pipeline();

    /** The outbox dispatcher. */
    interface Dispatcher {

        /** How often the outbox is looked at (emails and Slack each by their own job); at least 1s. */
        @WithDefault("1s")
        String interval();

        /** Notifications sent per run, each claimed on its own just before it is sent. */
        @WithDefault("20")
        int batchSize();

        /** A claimed notification not marked by then (the instance died or stalled) is delivered again. */
        @WithDefault("PT1M")
        Duration lease();

        /** First retry delay; doubled with each failed attempt up to {@link #maxBackoff()}. */
        @WithDefault("PT5S")
        Duration backoff();

        @WithDefault("PT10M")
        Duration maxBackoff();
    }

    /** Slack incoming webhook. */
    interface Slack {

        /** None set = Slack notifications are not queued. */
        Optional<String> webhookUrl();

        /** Slack allows about one message per second per webhook. */
        @WithDefault("PT1S")
        Duration minInterval();

        @WithDefault("PT10S")
        Duration timeout();
    }

    /** Email over SMTP (the server under {@code levain.smtp.*}, as api-service's). */
    interface Email {

        /** Recipients of alert and digest emails; none = email notifications are not queued. */
        Optional<List<String>> to();

        @WithDefault("Levain alerts <alerts@levain.local>")
        String from();

        /**
         * How long one SMTP send may take before it counts as failed and is retried (the mail client has no bound
         * of its own: a server that stops answering would hold the dispatcher forever).
         */
        @WithDefault("PT30S")
        Duration timeout();
    }

    /** Pipeline-health rules. */
    interface Pipeline {

        /** The consumer group whose lag is watched. */
        @WithDefault("normalize-service")
        String consumerGroup();

        @WithDefault("levain.raw.pos,levain.raw.crm,levain.raw.inventory")
        List<String> topics();
    }
}
