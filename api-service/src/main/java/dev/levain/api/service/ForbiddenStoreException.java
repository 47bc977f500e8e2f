package dev.levain.api.service;

/** A viewer asked for a store its token does not cover. */
public class ForbiddenStoreException extends RuntimeException {

    public ForbiddenStoreException(String code) {
        super("Your token does not cover store " + code);
    }
}
