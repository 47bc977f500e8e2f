package dev.levain.api.service;

/** A KPI query parameter is missing or wrong; names the parameter. */
public class InvalidQueryException extends RuntimeException {

    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
