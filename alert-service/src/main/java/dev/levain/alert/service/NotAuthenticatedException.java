package dev.levain.alert.service;

/** An admin request without the admin bearer token; answered 401. */
public class NotAuthenticatedException extends RuntimeException {

    public NotAuthenticatedException(String message) {
        super(message);
    }
}
