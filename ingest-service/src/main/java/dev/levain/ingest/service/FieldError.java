package dev.levain.ingest.service;

/** One reason an input was refused: the JSON path of the field and what is wrong with it. */
public record FieldError(String field, String message) {
}
