package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.SlackPaceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Paces posts to the Slack webhook for every replica at once: one message per {@code min-interval}
 * (Slack allows about one per second per webhook), longer after Slack answered 429 with a
 * {@code Retry-After}. The next turn lives in PostgreSQL ({@code alerts.slack_pace}): N replicas
 * together post no faster than one. A replica holds the webhook from taking its turn until its post is
 * over (at most the turn's lease, twice the Slack timeout, should it die mid-post), and the interval
 * counts from the end of the post: two posts never reach Slack closer than the interval.
 */
@ApplicationScoped
public class SlackPacer {

    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(50);

    private final SlackPaceRepository paces;
    private final Optional<String> webhook;
    private final Duration minInterval;
    private final Duration turnLease;
    private final String holder = UUID.randomUUID().toString();

    @Inject
    public SlackPacer(SlackPaceRepository paces, AlertConfig config) {
        this(paces, config.slack().webhookUrl(), config.slack().minInterval(), config.slack().timeout().multipliedBy(2));
    }

    public SlackPacer(SlackPaceRepository paces, Optional<String> webhookUrl, Duration minInterval, Duration turnLease) {
        this.paces = paces;
        this.webhook = webhookUrl.map(SlackPacer::key);
        this.minInterval = minInterval;
        this.turnLease = turnLease.compareTo(minInterval) > 0 ? turnLease : minInterval;
    }

    /**
     * Takes the webhook's next turn, waiting for it while it is at most one interval away; false,
     * without waiting, when Slack asked every replica to wait longer (or the wait was interrupted).
     */
    public boolean awaitTurn() {
        String key = webhook.orElseThrow(() -> new IllegalStateException("No Slack webhook configured"));
        while (!paces.take(key, holder, turnLease)) {
            SlackPaceRepository.NextTurn next = paces.nextTurn(key);
            boolean heldBySlack = !next.inFlight() && next.delay().compareTo(minInterval) > 0;
            // Another replica's post is in flight: its answer decides the next turn; look again shortly.
            Duration wait = next.inFlight() ? min(next.delay(), IN_FLIGHT_POLL) : next.delay();
            if (heldBySlack || !pause(wait)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The turn is over (a post was answered, or the turn went unused): the next post, from any replica,
     * waits the interval from now, or the {@code Retry-After} Slack asked for when that is longer.
     */
    public void turnOver(Optional<Duration> retryAfter) {
        Duration wait = retryAfter.filter(after -> after.compareTo(minInterval) > 0).orElse(minInterval);
        webhook.ifPresent(key -> paces.turnOver(key, holder, wait));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** Sleeps {@code wait} (at most one interval, in the Slack dispatcher's own job); false if interrupted. */
    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(Math.max(1, wait.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The webhook URL is a secret: rows are keyed by its SHA-256. */
    private static String key(String webhookUrl) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(webhookUrl.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
