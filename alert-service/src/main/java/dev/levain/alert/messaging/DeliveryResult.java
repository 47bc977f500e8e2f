package dev.levain.alert.messaging;

import java.time.Duration;
import java.util.Optional;

/**
 * What a channel answered: accepted (Slack 2xx, SMTP accept) or not, with the HTTP status when
 * there is one and the wait the receiver asked for (Slack 429 {@code Retry-After}).
 */
public record DeliveryResult(boolean accepted, Integer statusCode, Optional<Duration> retryAfter, String detail) {

    public static DeliveryResult accepted(Integer statusCode) {
        return new DeliveryResult(true, statusCode, Optional.empty(), null);
    }

    public static DeliveryResult failed(Integer statusCode, Optional<Duration> retryAfter, String detail) {
        return new DeliveryResult(false, statusCode, retryAfter, detail);
    }
}
