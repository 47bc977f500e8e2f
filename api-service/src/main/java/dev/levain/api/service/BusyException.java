package dev.levain.api.service;

import java.time.Duration;

/**
 * The service cannot answer now without harming other requests (too many expensive ones at once, or a query
 * over its statement timeout): 503 with Retry-After. Not the caller's fault, and nothing was changed.
 */
public class BusyException extends RuntimeException {

    private final Duration retryAfter;

    public BusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public BusyException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
