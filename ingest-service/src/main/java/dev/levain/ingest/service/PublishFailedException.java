package dev.levain.ingest.service;

/** Kafka did not acknowledge an event: the sender must retry, nothing was accepted. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
