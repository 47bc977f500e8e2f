package dev.levain.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the inventory connector ({@code levain.ingest.inventory.*}). */
@ConfigMapping(prefix = "levain.ingest.inventory")
public interface InventoryConfig {

    /** The inventory API, e.g. {@code https://inventory.example.com}; none = no scheduled pulls, webhooks only. */
    Optional<URI> apiBaseUrl();

    /** Sent as {@code Authorization: Bearer <token>} to the inventory API. */
    Optional<String> apiToken();

    /** The stock-level format asked for; the answer is read by its Content-Type whatever was asked. */
    @WithDefault("json")
    Format format();

    /** Time between two stock-level pulls. */
    @WithDefault("5m")
    Duration pullEvery();

    /** Time between two catalog pulls. */
    @WithDefault("1h")
    Duration catalogPullEvery();

    /** Longest wait for one answer of the inventory API, body included. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * Entries asked for per request ({@code page_size}), at most what the API serves in one page: a page with
     * fewer is taken as the last one.
     */
    @WithDefault("100")
    int pageSize();

    /** Most pages one pull reads; guards against an API that never says it is done. */
    @WithDefault("1000")
    int maxPages();

    Webhook webhook();

    /** Stock-level change webhooks pushed by the inventory system. */
    interface Webhook {

        /** Secrets a webhook may be signed with (more than one while rotating); none = all refused. */
        Optional<List<String>> signingSecrets();

        /** Most levels in one webhook. */
        @WithDefault("1000")
        int maxBatchSize();
    }

    /** Stock-level formats inventory systems offer. */
    enum Format {
        JSON, XML
    }
}
