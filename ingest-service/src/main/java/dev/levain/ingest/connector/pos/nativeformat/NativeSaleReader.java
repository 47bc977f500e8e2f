package dev.levain.ingest.connector.pos.nativeformat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.events.pos.PosSale;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;

/** Turns a sale in Levain's native POS JSON format into a raw event, or says exactly why not. */
@ApplicationScoped
public class NativeSaleReader {

    private static final ObjectReader READER = Json.mapper().readerFor(PosSale.class);

    private final NativeSaleValidator validator = new NativeSaleValidator();

    /** Validates {@code body} and wraps the unchanged bytes as a {@code levain.raw.pos.sale} event. */
    public RawEvent read(byte[] body) {
        PosSale sale = parse(body);
        List<FieldError> errors = validator.validate(sale);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String source = Sources.uri(Sources.POS_NATIVE, sale.storeCode());
        String entityId = sale.storeCode() + "/" + sale.saleId();
        String contentHash = EventIds.sha256(body);
        // The native format has no event id: the same version of the same sale gets the same id.
        String version = sale.version() == null ? contentHash : sale.version().toString();
        return new RawEvent(Topics.RAW_POS, entityId, EventIds.stableId(source, entityId, version), source,
                EventTypes.RAW_POS_SALE, sale.occurredAt(), contentHash, body);
    }

    private static PosSale parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(List.of(new FieldError("body", "is empty; a sale in JSON is expected")));
        }
        try {
            PosSale sale = READER.readValue(body);
            if (sale == null) {
                throw new InvalidInputException(List.of(new FieldError("body", "is null; a sale in JSON is expected")));
            }
            return sale;
        } catch (JsonMappingException e) {
            throw new InvalidInputException(List.of(new FieldError(JsonPaths.of(e), JsonPaths.reason(e))));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(List.of(new FieldError("body",
                    "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")")));
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
    }
}
