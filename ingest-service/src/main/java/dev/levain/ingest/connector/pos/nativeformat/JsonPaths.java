package dev.levain.ingest.connector.pos.nativeformat;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Names the JSON field a Jackson mapping error is about, as {@code lines[0].quantity}. */
final class JsonPaths {

    private JsonPaths() {
    }

    static String of(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    static String reason(JsonMappingException e) {
        if (e instanceof InvalidFormatException invalid) {
            return "cannot be read as " + expected(invalid.getTargetType()) + ": " + invalid.getValue();
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "must be " + expected(mismatched.getTargetType());
        }
        return "has the wrong type";
    }

    private static String expected(Class<?> type) {
        return switch (type.getSimpleName()) {
            case "BigDecimal", "Long", "long", "Integer", "int" -> "a number";
            case "OffsetDateTime" -> "an ISO-8601 date-time with an offset, e.g. 2026-11-27T08:15:00+01:00";
            case "String" -> "a string";
            case "List" -> "an array";
            default -> "an object";
        };
    }
}
