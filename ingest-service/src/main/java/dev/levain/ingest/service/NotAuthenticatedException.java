package dev.levain.ingest.service;

/** A request without valid credentials (401); the message says what is missing. */
public class NotAuthenticatedException extends RuntimeException {

    public NotAuthenticatedException(String message) {
        super(message);
    }
}
