package dev.levain.ingest.service;

/** A body past its configured limit (413); nothing of it was published. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
