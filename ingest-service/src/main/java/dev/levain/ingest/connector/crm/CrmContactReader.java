package dev.levain.ingest.connector.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.connector.ContentFingerprint;
import dev.levain.ingest.connector.EmailAddresses;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one CRM contact (a webhook body, or one item of an API page) into a {@code levain.raw.crm.customer}
 * event carrying its unchanged bytes, or says exactly which field is wrong.
 */
@ApplicationScoped
public class CrmContactReader {

    private static final int MAX_ID_LENGTH = 128;

    private final IngestConfig config;

    public CrmContactReader(IngestConfig config) {
        this.config = config;
    }

    /**
     * A contact pushed by webhook: every rule applies, since the sender can be told (400) and fix it.
     *
     * @throws InvalidInputException naming each bad field
     */
    public RawEvent readPushed(byte[] body) {
        JsonNode contact = parse(body);
        List<FieldError> errors = identityErrors(contact);
        errors.addAll(contentErrors(contact));
        return toEvent(body, contact, errors);
    }

    /**
     * A contact pulled from the API: only what the event itself needs (id, updated_at) is required.
     * The CRM is the system of record for the rest; a contact with, say, a mistyped email is still
     * published and left to the normalizer, rather than stopping every pull after it.
     *
     * @throws InvalidInputException naming each bad field
     */
    public RawEvent readPulled(byte[] item) {
        JsonNode contact = parse(item);
        return toEvent(item, contact, identityErrors(contact));
    }

    /** How a log line names a contact that may be unreadable: its id when it has one. */
    public String describe(byte[] item) {
        JsonNode contact = lenient(item);
        JsonNode id = contact == null ? null : contact.get("id");
        return id == null || id.isNull() || id.isContainerNode() || id.asText().isBlank() ? "no id"
                : "id " + abbreviate(id.asText());
    }

    /** The contact's {@code updated_at} when it has a readable one, even if the rest of it is invalid. */
    public Optional<Instant> updatedAt(byte[] item) {
        JsonNode contact = lenient(item);
        JsonNode value = contact == null ? null : contact.get("updated_at");
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static JsonNode lenient(byte[] item) {
        try {
            JsonNode contact = item == null || item.length == 0 ? null : Json.mapper().readTree(item);
            return contact != null && contact.isObject() ? contact : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ID_LENGTH ? text : text.substring(0, MAX_ID_LENGTH) + "...";
    }

    private RawEvent toEvent(byte[] bytes, JsonNode contact, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String id = contact.get("id").asText();
        OffsetDateTime updatedAt = OffsetDateTime.parse(contact.get("updated_at").asText());
        String source = Sources.uri(Sources.CRM, config.tenant());
        // The version is the update instant, written one way, so that the same version pushed by
        // webhook and pulled from the API (maybe with another offset) is one event.
        String version = updatedAt.toInstant().toString();
        return new RawEvent(Sources.CRM, Topics.RAW_CRM, id, EventIds.stableId(source, id, version),
                contact.get("updated_at").asText(), source, EventTypes.RAW_CRM_CUSTOMER, updatedAt, RawEvent.JSON,
                EventIds.sha256(bytes), ContentFingerprint.ofJson(bytes), bytes);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("body", "is empty; a contact in JSON is expected");
        }
        JsonNode contact;
        try {
            contact = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("body", "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
        if (contact == null || !contact.isObject()) {
            throw invalid("body", "must be a contact object");
        }
        return contact;
    }

    private static List<FieldError> identityErrors(JsonNode contact) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode id = contact.get("id");
        if (id == null || id.isNull() || (id.isTextual() && id.asText().isBlank())) {
            errors.add(new FieldError("id", "is required"));
        } else if (!id.isTextual() && !id.isIntegralNumber()) {
            errors.add(new FieldError("id", "must be a string or an integer"));
        } else if (id.asText().length() > MAX_ID_LENGTH) {
            errors.add(new FieldError("id", "must be at most " + MAX_ID_LENGTH + " characters"));
        }
        requireTimestamp(errors, contact, "updated_at", true);
        return errors;
    }

    private static List<FieldError> contentErrors(JsonNode contact) {
        List<FieldError> errors = new ArrayList<>();
        requireTimestamp(errors, contact, "created_at", false);
        for (String field : List.of("given_name", "family_name", "phone")) {
            JsonNode value = contact.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
            }
        }
        JsonNode email = contact.get("email");
        if (email != null && !email.isNull()) {
            Optional<String> problem = email.isTextual() ? EmailAddresses.problem(email.asText())
                    : Optional.of("must be a string");
            problem.ifPresent(p -> errors.add(new FieldError("email", p)));
        }
        JsonNode optIn = contact.get("marketing_opt_in");
        if (optIn != null && !optIn.isNull() && !optIn.isBoolean()) {
            errors.add(new FieldError("marketing_opt_in", "must be true or false"));
        }
        return errors;
    }

    private static void requireTimestamp(List<FieldError> errors, JsonNode contact, String field, boolean required) {
        JsonNode value = contact.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return;
        }
        try {
            if (value.isTextual()) {
                OffsetDateTime.parse(value.asText());
                return;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError(field, "must be an ISO-8601 date-time with an offset, e.g. 2026-11-27T08:15:00Z"));
    }

    private static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }
}
