package dev.levain.api.service;

/** No store has the requested code. */
public class UnknownStoreException extends RuntimeException {

    public UnknownStoreException(String code) {
        super("No store has code " + code);
    }
}
