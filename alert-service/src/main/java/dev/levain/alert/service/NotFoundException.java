package dev.levain.alert.service;

/** The addressed rule, alert or silence does not exist; answered 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
