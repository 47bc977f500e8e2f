package dev.levain.ingest.rest;

import dev.levain.ingest.connector.pos.nativeformat.NativeSaleReader;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** POS webhooks in Levain's native JSON format. */
@Path("/api/v1/ingest/pos")
public class PosSaleResource {

    private final NativeSaleReader reader;
    private final RawEventIngestService ingest;

    public PosSaleResource(NativeSaleReader reader, RawEventIngestService ingest) {
        this.reader = reader;
        this.ingest = ingest;
    }

    /** One sale; 202 once Kafka holds it, 400 naming the bad field, 503 when Kafka cannot take it. */
    @POST
    @Path("/sales")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> postSale(byte[] body) {
        RawEvent event = reader.read(body);
        return ingest.ingest(event).map(ignored -> Response.accepted(Map.of("event_id", event.id())).build());
    }
}
