package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.events.signature.SquareSignature;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.pos.square.SquareWebhookHandler;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestSources;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Square webhook notifications, signed with {@code x-square-hmacsha256-signature}. */
@Path("/api/v1/ingest/pos/square/webhooks")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class SquareWebhookResource {

    private final SquareWebhookHandler handler;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final IngestConfig config;

    public SquareWebhookResource(SquareWebhookHandler handler, IngestSources sources, IngestMetrics metrics,
                                 IngestConfig config) {
        this.handler = handler;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    @Operation(summary = "One Square notification",
            description = "202 once Kafka holds the notification (and, for order, payment and refund types, the full "
                    + "order fetched from Square's Orders API; customer types on the CRM topic and inventory counts on the "
                    + "inventory topic, whichever sources this deployment serves otherwise); 200 when already accepted "
                    + "(without asking Square again) or of a type Levain does not use; 401 bad signature; 400 naming the "
                    + "missing field; 503 when Square's API or Kafka failed, so that Square delivers it again.")
    public Response receive(@HeaderParam(SquareSignature.HEADER) String signature,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.POS);
        SquareWebhookHandler.Outcome outcome = metrics.countingRejections(Sources.POS_SQUARE, () -> handler.receive(
                signature, RequestBodies.read(stream, contentLength, config.maxWebhookBodySize().asLongValue())));
        return Response.status(outcome.published() ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(outcome)
                .build();
    }
}
