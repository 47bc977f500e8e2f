package dev.levain.normalize.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.events.Json;
import dev.levain.normalize.service.RejectedEventException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Typed access to the members of one JSON object of a raw payload; each rejection names the member's path. */
final class JsonFields {

    private final JsonNode node;
    private final String prefix;

    private JsonFields(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** The JSON object in {@code payload}, which should be {@code what} (named in the rejection). */
    static JsonFields parse(byte[] payload, String what) {
        JsonNode root;
        try {
            root = payload == null || payload.length == 0 ? null : Json.mapper().readTree(payload);
        } catch (JsonProcessingException e) {
            throw new RejectedEventException("payload is not " + what + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
        if (root == null || !root.isObject()) {
            throw new RejectedEventException("payload is not " + what + ": a JSON object is expected");
        }
        return new JsonFields(root, "");
    }

    String path(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private JsonNode get(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** A string (or a number, as text); null when absent. */
    String text(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new RejectedEventException(path(name) + " must be a string");
        }
        return value.asText();
    }

    String requiredText(String name) {
        return Fields.required(text(name), path(name));
    }

    OffsetDateTime time(String name) {
        String value = text(name);
        return value == null ? null : Fields.dateTime(value, path(name));
    }

    OffsetDateTime requiredTime(String name) {
        return Fields.dateTime(requiredText(name), path(name));
    }

    /** A number, or a string holding one (Square writes quantities as strings); null when absent. */
    BigDecimal decimal(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new RejectedEventException(path(name) + " is not a number: " + value.asText());
        }
    }

    BigDecimal requiredDecimal(String name) {
        return Fields.required(decimal(name), path(name));
    }

    /** A whole number; null when absent. */
    Long wholeNumber(String name) {
        BigDecimal value = decimal(name);
        try {
            return value == null ? null : value.longValueExact();
        } catch (ArithmeticException e) {
            throw new RejectedEventException(path(name) + " is not a whole number: " + value);
        }
    }

    Boolean bool(String name) {
        JsonNode value = get(name);
        if (value != null && !value.isBoolean()) {
            throw new RejectedEventException(path(name) + " must be true or false, not " + value);
        }
        return value == null ? null : value.booleanValue();
    }

    /** A nested object; null when absent. */
    JsonFields object(String name) {
        JsonNode value = get(name);
        if (value != null && !value.isObject()) {
            throw new RejectedEventException(path(name) + " must be an object");
        }
        return value == null ? null : new JsonFields(value, path(name));
    }

    JsonFields requiredObject(String name) {
        return Fields.required(object(name), path(name));
    }

    /** The objects of an array, each named {@code name[i]}; empty when absent. */
    List<JsonFields> array(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new RejectedEventException(path(name) + " must be an array");
        }
        List<JsonFields> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String at = path(name) + "[" + i + "]";
            if (!value.get(i).isObject()) {
                throw new RejectedEventException(at + " must be an object");
            }
            items.add(new JsonFields(value.get(i), at));
        }
        return List.copyOf(items);
    }
}
