package dev.levain.alert.service;

/** One invalid field of a request and why. */
public record FieldError(String field, String message) {
}
