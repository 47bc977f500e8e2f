package dev.levain.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the Square POS connector ({@code levain.ingest.pos.square.*}). */
@ConfigMapping(prefix = "levain.ingest.pos.square")
public interface SquareConfig {

    /** The webhook subscription's signature key; none = every Square webhook is refused. */
    Optional<String> signatureKey();

    /**
     * The notification URL exactly as registered at Square: Square signs it together with the body, and
     * behind a proxy it differs from the URL the request arrives on. None = every webhook is refused.
     */
    Optional<String> notificationUrl();

    /** Where Square's API answers (its sandbox: https://connect.squareupsandbox.com). */
    @WithDefault("https://connect.squareup.com")
    String apiBaseUrl();

    /** The access token for the Orders and Locations APIs; none = orders cannot be fetched (503). */
    Optional<String> accessToken();

    /** The {@code Square-Version} header: the API version whose JSON shapes we read. */
    @WithDefault("2025-10-16")
    String apiVersion();

    /**
     * Longest wait for one Square API call. Kept well under Square's own 10 s webhook timeout so a slow
     * Orders API turns into our 503 (and Square's retry), not into Square giving up on us.
     */
    @WithDefault("3s")
    Duration apiTimeout();

    /** Time between two reconciliations of the current store-local day's orders. */
    @WithDefault("15m")
    Duration reconcileEvery();

    /** The Square location ids to reconcile; none = every location {@code GET /v2/locations} lists. */
    Optional<List<String>> locations();
}
