package dev.levain.ingest.connector.pos.nativeformat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.events.pos.PosSale;
import dev.levain.ingest.connector.ContentFingerprint;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Turns sales in Levain's native POS JSON format into raw events, or says exactly why not. */
@ApplicationScoped
public class NativeSaleReader {

    private static final ObjectReader READER = Json.mapper().readerFor(PosSale.class);

    private final NativeSaleValidator validator = new NativeSaleValidator();

    /** Validates {@code body} and wraps the unchanged bytes as a {@code levain.raw.pos.sale} event. */
    public RawEvent read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(List.of(new FieldError("body", "is empty; a sale in JSON is expected")));
        }
        List<FieldError> errors = new ArrayList<>();
        RawEvent event = readSale(body, "", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return event;
    }

    /**
     * Reads {@code {"sales": [...]}}: each sale's own bytes become its event, so a batched sale is
     * the same event as the same sale sent alone. A bad sale is reported and does not stop the others.
     */
    public NativeBatch readBatch(byte[] body, int maxSize) {
        List<byte[]> items = splitSales(body);
        if (items.size() > maxSize) {
            throw new InvalidInputException(List.of(new FieldError("sales",
                    "holds " + items.size() + " sales; at most " + maxSize + " per batch")));
        }
        List<NativeBatch.Item> read = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            List<FieldError> errors = new ArrayList<>();
            RawEvent event = readSale(items.get(i), "sales[" + i + "]", errors);
            read.add(new NativeBatch.Item(i, errors.isEmpty() ? event : null, errors));
        }
        return new NativeBatch(read);
    }

    private RawEvent readSale(byte[] body, String prefix, List<FieldError> errors) {
        PosSale sale = parse(body, prefix, errors);
        if (sale == null) {
            return null;
        }
        validator.validate(sale).forEach(e -> errors.add(prefixed(prefix, e)));
        if (!errors.isEmpty()) {
            return null;
        }
        String source = Sources.uri(Sources.POS_NATIVE, sale.storeCode());
        String entityId = sale.storeCode() + "/" + sale.saleId();
        String contentHash = EventIds.sha256(body);
        // The native format has no event id: the same version of the same sale gets the same id.
        if (sale.version() == null) {
            return new RawEvent(Sources.POS_NATIVE, Topics.RAW_POS, entityId,
                    EventIds.stableId(source, entityId, contentHash), null, source, EventTypes.RAW_POS_SALE,
                    sale.occurredAt(), RawEvent.JSON, contentHash, contentHash, body);
        }
        String version = sale.version().toString();
        return new RawEvent(Sources.POS_NATIVE, Topics.RAW_POS, entityId, EventIds.stableId(source, entityId, version),
                version, source, EventTypes.RAW_POS_SALE, sale.occurredAt(), RawEvent.JSON, contentHash,
                ContentFingerprint.ofJson(body), body);
    }

    private static PosSale parse(byte[] body, String prefix, List<FieldError> errors) {
        try {
            PosSale sale = READER.readValue(body);
            if (sale == null) {
                errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix, "is null; a sale object is expected"));
            }
            return sale;
        } catch (JsonMappingException e) {
            errors.add(unreadable(e).map(NativeSaleReader::notJson)
                    .orElseGet(() -> prefixed(prefix, new FieldError(JsonPaths.of(e), JsonPaths.reason(e)))));
        } catch (JsonProcessingException e) {
            errors.add(notJson(e));
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
        return null;
    }

    /** The exact bytes of each element of the {@code sales} array. */
    private static List<byte[]> splitSales(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(List.of(new FieldError("body", "is empty; {\"sales\": [...]} is expected")));
        }
        List<byte[]> items = new ArrayList<>();
        boolean found = false;
        try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(List.of(new FieldError("body", "must be an object {\"sales\": [...]}")));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("sales")) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new InvalidInputException(List.of(new FieldError("sales", "must be an array of sales")));
                }
                found = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getByteOffset();
                    items.add(Arrays.copyOfRange(body, start, end));
                }
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(List.of(notJson(e)));
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
        if (!found) {
            throw new InvalidInputException(List.of(new FieldError("sales", "is required")));
        }
        if (items.isEmpty()) {
            throw new InvalidInputException(List.of(new FieldError("sales", "must hold at least one sale")));
        }
        return items;
    }

    /**
     * The syntax error behind a mapping error, if any: Jackson reports a body cut short (or broken) inside a
     * field as an error about that field ("lines[0]"), though the body is simply not JSON.
     */
    private static Optional<StreamReadException> unreadable(JsonMappingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException syntax) {
                return Optional.of(syntax);
            }
        }
        return Optional.empty();
    }

    private static FieldError notJson(JsonProcessingException e) {
        return new FieldError("body", "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")");
    }

    private static FieldError prefixed(String prefix, FieldError error) {
        if (prefix.isEmpty()) {
            return error;
        }
        return new FieldError(error.field().equals("body") ? prefix : prefix + "." + error.field(), error.message());
    }
}
