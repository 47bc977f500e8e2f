package dev.levain.normalize.service;

/** The raw event's content cannot become part of the model; retrying it will not help. */
public class RejectedEventException extends RuntimeException {

    public RejectedEventException(String reason) {
        super(reason);
    }
}
