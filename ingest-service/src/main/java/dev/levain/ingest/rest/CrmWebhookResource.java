package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.config.CrmConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.crm.CrmContactReader;
import dev.levain.ingest.service.ConflictPolicy;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.IngestSources;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import dev.levain.ingest.service.VersionConflictException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** CRM contact webhooks: one contact per request, the same JSON as the CRM API serves, signed with {@code Levain-Signature}. */
@Path("/api/v1/ingest/crm/webhooks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CrmWebhookResource {

    private final CrmContactReader reader;
    private final RawEventIngestService ingest;
    private final SignedWebhooks webhooks;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final CrmConfig config;

    public CrmWebhookResource(CrmContactReader reader, RawEventIngestService ingest, SignedWebhooks webhooks,
                              IngestSources sources, IngestMetrics metrics, CrmConfig config) {
        this.reader = reader;
        this.ingest = ingest;
        this.webhooks = webhooks;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    @Operation(summary = "One contact: {\"id\", \"updated_at\", \"given_name\", \"family_name\", \"email\", ...}",
            description = "202 once Kafka holds it; 200 when this version (id + updated_at) was already accepted "
                    + "with the same content, by webhook or by the scheduled pull; 409 when it was accepted with other "
                    + "content (send the change with a later updated_at); 401 bad signature; 400 naming the bad "
                    + "field; 503 when Kafka cannot take it.")
    public Response postContact(@HeaderParam(TimestampedSignature.HEADER) String signature,
                                @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.CRM);
        RawEvent contact = metrics.countingRejections(Sources.CRM, () -> {
            byte[] body = webhooks.read(Sources.CRM, signature, contentLength, stream, config.webhook().signingSecrets());
            return reader.readPushed(body);
        });
        IngestResult result = ingest.ingest(contact, ConflictPolicy.REFUSE);
        if (result.conflict()) {
            throw new VersionConflictException(List.of(VersionConflictException.changed("updated_at",
                    "contact " + contact.key(), "updated_at " + contact.version(), "a later updated_at")));
        }
        return Response.status(result.duplicate() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(ItemResult.of(result))
                .build();
    }
}
