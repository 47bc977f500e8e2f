package dev.levain.api.service;

/** A goal written with a missing or wrong field; names the field. */
public class InvalidGoalException extends RuntimeException {

    private final String field;

    public InvalidGoalException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
