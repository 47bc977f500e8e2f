package dev.levain.ingest.connector.pos.square;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.events.Json;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reads the routing fields of a Square notification, or says which field is missing. */
final class SquareNotificationReader {

    private SquareNotificationReader() {
    }

    static SquareNotification read(byte[] body) {
        JsonNode root = parse(body);
        List<FieldError> errors = new ArrayList<>();
        String eventId = requiredText(root, "event_id", errors);
        String type = requiredText(root, "type", errors);
        OffsetDateTime createdAt = createdAt(root, errors);
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            errors.add(new FieldError("data", data == null ? "is required" : "must be an object"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String entityId = text(data, "id");
        // data.object holds one member named after the type (order_created, payment, inventory_counts...).
        JsonNode object = data.path("object");
        JsonNode inner = object.isObject() && object.size() > 0 ? object.elements().next() : object;
        JsonNode first = inner.isArray() && !inner.isEmpty() ? inner.get(0) : inner;
        String locationId = text(first, "location_id");
        String tenant = locationId != null ? locationId : text(root, "merchant_id");
        if (tenant == null) {
            throw new InvalidInputException(List.of(new FieldError("merchant_id",
                    "is required when data.object carries no location_id")));
        }
        SquareEventKind kind = SquareEventKind.of(type);
        String orderId = kind == SquareEventKind.ORDER ? orderId(type, entityId, first) : null;
        return new SquareNotification(eventId, type, createdAt, tenant, entityKey(kind, tenant, entityId, orderId, first),
                orderId, body);
    }

    private static String orderId(String type, String entityId, JsonNode inner) {
        String fromObject = text(inner, "order_id");
        if (type.startsWith("order.")) {
            String id = entityId != null ? entityId : fromObject;
            if (id == null) {
                throw new InvalidInputException(List.of(new FieldError("data.id", "is required for " + type)));
            }
            return id;
        }
        // A payment or refund without an order (rare) is published alone.
        return fromObject;
    }

    private static String entityKey(SquareEventKind kind, String tenant, String entityId, String orderId, JsonNode inner) {
        return switch (kind) {
            case ORDER -> tenant + "/" + firstNonNull(orderId, entityId, "-");
            case INVENTORY -> tenant + "/" + firstNonNull(text(inner, "catalog_object_id"), entityId, "-");
            default -> firstNonNull(entityId, tenant);
        };
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(List.of(new FieldError("body", "is empty; a Square notification is expected")));
        }
        try {
            JsonNode root = Json.mapper().readTree(body);
            if (root == null || !root.isObject()) {
                throw new InvalidInputException(List.of(new FieldError("body", "must be a JSON object")));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(List.of(new FieldError("body", "is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
    }

    private static OffsetDateTime createdAt(JsonNode root, List<FieldError> errors) {
        String value = requiredText(root, "created_at", errors);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("created_at", "must be an RFC 3339 date-time, e.g. 2026-11-27T07:15:00Z"));
            return null;
        }
    }

    private static String requiredText(JsonNode node, String field, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            errors.add(new FieldError(field, "must be a non-empty string"));
            return null;
        }
        return value.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String firstNonNull(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
