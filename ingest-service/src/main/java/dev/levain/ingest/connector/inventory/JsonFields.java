package dev.levain.ingest.connector.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.ingest.connector.csv.CsvValues;
import dev.levain.ingest.service.FieldError;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads typed fields of a JSON entry, recording a {@link FieldError} named {@code <prefix>.<field>} for each bad one. */
final class JsonFields {

    static final String TIME_EXPECTED = "must be an ISO-8601 date-time with an offset, e.g. 2026-11-27T08:15:00+01:00";
    static final String CODE_EXPECTED = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    JsonFields(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    String requiredText(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return error(name, "is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            return error(name, "must be a non-empty string");
        }
        return value.asText();
    }

    /**
     * A required code such as a sku or a location: it becomes part of the event's key and CloudEvents source
     * (a URI), where a space or a slash would break it.
     */
    String requiredCode(String name) {
        String value = requiredText(name);
        if (value != null && !isCode(value)) {
            return error(name, CODE_EXPECTED);
        }
        return value;
    }

    static boolean isCode(String value) {
        return CsvValues.CODE.matcher(value).matches();
    }

    BigDecimal number(String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return required ? error(name, "is required") : null;
        }
        return value.isNumber() ? value.decimalValue() : error(name, "must be a number");
    }

    OffsetDateTime time(String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return required ? error(name, "is required") : null;
        }
        try {
            return value.isTextual() ? OffsetDateTime.parse(value.asText()) : error(name, TIME_EXPECTED);
        } catch (DateTimeParseException e) {
            return error(name, TIME_EXPECTED);
        }
    }

    void check(boolean ok, String name, String message) {
        if (!ok) {
            error(name, message);
        }
    }

    static String path(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private <T> T error(String name, String message) {
        errors.add(new FieldError(path(prefix, name), message));
        return null;
    }
}
