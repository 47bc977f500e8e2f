package dev.levain.api.rest;

import java.io.IOException;

/**
 * A request body that went past the service's limit while being read. An {@link IOException}, since it is the body's
 * stream that refuses to go on: JSON parsing lets it through as it is, or wrapped as the cause of its own failure.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("The body is larger than the " + limit + " bytes this service accepts");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
