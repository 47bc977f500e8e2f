package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.config.CrmConfig;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.crm.CrmContactReader;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.IngestSources;
import dev.levain.ingest.service.RawEventIngestService;
import dev.levain.ingest.service.WebhookAuthenticator;
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

/** CRM contact webhooks: one contact per request, the same JSON as the CRM API serves, signed with {@code Levain-Signature}. */
@Path("/api/v1/ingest/crm/webhooks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CrmWebhookResource {

    private final CrmContactReader reader;
    private final RawEventIngestService ingest;
    private final WebhookAuthenticator authenticator;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final CrmConfig config;
    private final IngestConfig ingestConfig;

    public CrmWebhookResource(CrmContactReader reader, RawEventIngestService ingest, WebhookAuthenticator authenticator,
                              IngestSources sources, IngestMetrics metrics, CrmConfig config,
                              IngestConfig ingestConfig) {
        this.reader = reader;
        this.ingest = ingest;
        this.authenticator = authenticator;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
        this.ingestConfig = ingestConfig;
    }

    @POST
    @Operation(summary = "One contact: {\"id\", \"updated_at\", \"given_name\", \"family_name\", \"email\", ...}",
            description = "202 once Kafka holds it; 200 when this version (id + updated_at) was already accepted, "
                    + "by webhook or by the scheduled pull; 401 bad signature; 400 naming the bad field; "
                    + "503 when Kafka cannot take it.")
    public Response postContact(@HeaderParam(TimestampedSignature.HEADER) String signature,
                                @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.CRM);
        IngestResult result = metrics.countingRejections(Sources.CRM, () -> {
            byte[] body = RequestBodies.read(stream, contentLength, ingestConfig.maxWebhookBodySize().asLongValue());
            authenticator.verify(Sources.CRM, signature, body, config.webhook().signingSecrets());
            return ingest.ingest(reader.readPushed(body));
        });
        return Response.status(result.duplicate() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(ContactResult.of(result))
                .build();
    }

    /** What became of the contact: accepted (published now) or duplicate, and its event id. */
    public record ContactResult(String status, String eventId) {

        static ContactResult of(IngestResult result) {
            return new ContactResult(result.duplicate() ? "duplicate" : "accepted", result.eventId());
        }
    }
}
