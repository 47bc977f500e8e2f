package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.config.PosConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.pos.nativeformat.NativeBatch;
import dev.levain.ingest.connector.pos.nativeformat.NativeSaleReader;
import dev.levain.ingest.service.ConflictPolicy;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.IngestSources;
import dev.levain.ingest.service.InvalidInputException;
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
    private final SignedWebhooks webhooks;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final PosConfig config;

    public PosSaleResource(NativeSaleReader reader, RawEventIngestService ingest, SignedWebhooks webhooks,
                           IngestSources sources, IngestMetrics metrics, PosConfig config) {
        this.reader = reader;
        this.ingest = ingest;
        this.webhooks = webhooks;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    @Operation(summary = "One sale",
            description = "202 once Kafka holds it; 200 when this version of the sale was already accepted with "
                    + "the same content; 409 when it was accepted with other content (send the change with a higher "
                    + "version); 401 bad signature; 400 naming the bad field; 503 when Kafka cannot take it.")
    public Response postSale(@HeaderParam(TimestampedSignature.HEADER) String signature,
                             @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.POS);
        RawEvent sale = metrics.countingRejections(Sources.POS_NATIVE, () -> {
            return reader.read(read(signature, contentLength, stream));
        });
        IngestResult result = ingest.ingest(sale, ConflictPolicy.REFUSE);
        if (result.conflict()) {
            throw new VersionConflictException(List.of(changed("", sale)));
        }
        return Response.status(result.duplicate() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(ItemResult.of(result))
                .build();
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Several sales: {\"sales\": [...]}",
            description = "Each sale is read and published on its own: 202 with a result per sale (accepted, "
                    + "duplicate or rejected with its errors: invalid, or a version accepted before with other "
                    + "content) when at least one was taken; 400 when none was valid; 409 when every valid one "
                    + "changed a version accepted before.")
    public Response postBatch(@HeaderParam(TimestampedSignature.HEADER) String signature,
                              @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.POS);
        NativeBatch batch = metrics.countingRejections(Sources.POS_NATIVE, () -> {
            return reader.readBatch(read(signature, contentLength, stream), config.nativeFormat().maxBatchSize());
        });
        List<RawEvent> valid = batch.events();
        if (valid.isEmpty() && !batch.items().isEmpty()) {
            batch.items().forEach(i -> metrics.rejected(Sources.POS_NATIVE, "invalid"));
            throw new InvalidInputException(batch.items().stream().flatMap(i -> i.errors().stream()).toList());
        }
        Iterator<IngestResult> published = ingest.ingestAll(Sources.POS_NATIVE, valid, ConflictPolicy.REFUSE)
                .iterator();
        List<ItemResult> results = new ArrayList<>();
        for (NativeBatch.Item item : batch.items()) {
            if (item.event() == null) {
                metrics.rejected(Sources.POS_NATIVE, "invalid");
                results.add(ItemResult.rejected(item.index(), item.errors()));
                continue;
            }
            IngestResult result = published.next();
            results.add(result.conflict()
                    ? ItemResult.rejected(item.index(), List.of(changed("sales[" + item.index() + "].", item.event())))
                    : ItemResult.of(item.index(), null, result));
        }
        BatchReport report = BatchReport.of(results);
        report.refuseIfNoneTaken();
        return Response.accepted(report).build();
    }

    private static FieldError changed(String prefix, RawEvent sale) {
        return VersionConflictException.changed(prefix + "version", "sale " + sale.key(), "version " + sale.version(),
                "a higher version");
    }

    private byte[] read(String signature, Long contentLength, InputStream stream) {
        return webhooks.read(Sources.POS_NATIVE, signature, contentLength, stream,
                config.nativeFormat().signingSecrets());
    }
}
