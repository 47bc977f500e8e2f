package dev.levain.normalize.service;

/**
 * Another transaction wrote what this one was about to create (the same new customer identity,
 * the same new sale) or merged a customer this one relies on: the batch is written again from
 * the start, where it now sees the other's work. Never the event's fault, never rejected.
 */
public class ContentionException extends RuntimeException {

    public ContentionException(String reason) {
        super(reason);
    }
}
