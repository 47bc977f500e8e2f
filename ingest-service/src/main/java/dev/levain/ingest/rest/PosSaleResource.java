package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.PosConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.pos.nativeformat.NativeBatch;
import dev.levain.ingest.connector.pos.nativeformat.NativeSaleReader;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.IngestSources;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** POS webhooks in Levain's native JSON format, signed with {@code Levain-Signature}. */
@Path("/api/v1/ingest/pos/sales")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PosSaleResource {

    private final NativeSaleReader reader;
    private final RawEventIngestService ingest;
    private final WebhookAuthenticator authenticator;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final PosConfig config;
    private final IngestConfig ingestConfig;

    public PosSaleResource(NativeSaleReader reader, RawEventIngestService ingest, WebhookAuthenticator authenticator,
                           IngestSources sources, IngestMetrics metrics, PosConfig config, IngestConfig ingestConfig) {
        this.reader = reader;
        this.ingest = ingest;
        this.authenticator = authenticator;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
        this.ingestConfig = ingestConfig;
    }

    @POST
    @Operation(summary = "One sale",
            description = "202 once Kafka holds it; 200 when this version of the sale was already accepted; "
                    + "401 bad signature; 400 naming the bad field; 503 when Kafka cannot take it.")
    public Response postSale(@HeaderParam(TimestampedSignature.HEADER) String signature,
                             @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.POS);
        IngestResult result = metrics.countingRejections(Sources.POS_NATIVE, () -> {
            byte[] body = RequestBodies.read(stream, contentLength, ingestConfig.maxWebhookBodySize().asLongValue());
            authenticate(signature, body);
            return ingest.ingest(reader.read(body));
        });
        return Response.status(result.duplicate() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(ItemResult.of(null, result))
                .build();
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Several sales: {\"sales\": [...]}",
            description = "Each sale is read and published on its own: 202 with a result per sale (accepted, "
                    + "duplicate or rejected with its errors) when at least one was valid; 400 when none was.")
    public Response postBatch(@HeaderParam(TimestampedSignature.HEADER) String signature,
                              @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.POS);
        NativeBatch batch = metrics.countingRejections(Sources.POS_NATIVE, () -> {
            byte[] body = RequestBodies.read(stream, contentLength, ingestConfig.maxWebhookBodySize().asLongValue());
            authenticate(signature, body);
            return reader.readBatch(body, config.nativeFormat().maxBatchSize());
        });
        List<RawEvent> valid = batch.events();
        if (valid.isEmpty() && !batch.items().isEmpty()) {
            batch.items().forEach(i -> metrics.rejected(Sources.POS_NATIVE, "invalid"));
            throw new InvalidInputException(batch.items().stream().flatMap(i -> i.errors().stream()).toList());
        }
        Iterator<IngestResult> published = ingest.ingestAll(Sources.POS_NATIVE, valid).iterator();
        List<ItemResult> results = new ArrayList<>();
        for (NativeBatch.Item item : batch.items()) {
            if (item.event() == null) {
                metrics.rejected(Sources.POS_NATIVE, "invalid");
                results.add(ItemResult.rejected(item.index(), item.errors()));
            } else {
                results.add(ItemResult.of(item.index(), published.next()));
            }
        }
        return Response.accepted(BatchReport.of(results)).build();
    }

    private void authenticate(String signature, byte[] body) {
        authenticator.verify(Sources.POS_NATIVE, signature, body, config.nativeFormat().signingSecrets());
    }

    /** What became of one sale ({@code index} only within a batch). */
    public record ItemResult(Integer index, String status, String eventId, List<FieldError> errors) {

        static ItemResult of(Integer index, IngestResult result) {
            return new ItemResult(index, result.duplicate() ? "duplicate" : "accepted", result.eventId(), null);
        }

        static ItemResult rejected(int index, List<FieldError> errors) {
            return new ItemResult(index, "rejected", null, errors);
        }
    }

    /** What became of each sale of a batch, with the counts. */
    public record BatchReport(long accepted, long duplicates, long rejected, List<ItemResult> results) {

        static BatchReport of(List<ItemResult> results) {
            return new BatchReport(count(results, "accepted"), count(results, "duplicate"), count(results, "rejected"),
                    results);
        }

        private static long count(List<ItemResult> results, String status) {
            return results.stream().filter(r -> r.status().equals(status)).count();
        }
    }
}
