package dev.levain.ingest.rest;

import dev.levain.events.Sources;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.config.InventoryConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.inventory.ReadItem;
import dev.levain.ingest.connector.inventory.StockLevel;
import dev.levain.ingest.connector.inventory.StockLevelJsonReader;
import dev.levain.ingest.service.ConflictPolicy;
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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Stock-level changes pushed by the inventory system, signed with {@code Levain-Signature}. */
@Path("/api/v1/ingest/inventory/webhooks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InventoryWebhookResource {

    private final StockLevelJsonReader reader;
    private final RawEventIngestService ingest;
    private final SignedWebhooks webhooks;
    private final IngestSources sources;
    private final IngestMetrics metrics;
    private final InventoryConfig config;

    public InventoryWebhookResource(StockLevelJsonReader reader, RawEventIngestService ingest,
                                    SignedWebhooks webhooks, IngestSources sources, IngestMetrics metrics,
                                    InventoryConfig config) {
        this.reader = reader;
        this.ingest = ingest;
        this.webhooks = webhooks;
        this.sources = sources;
        this.metrics = metrics;
        this.config = config;
    }

    @POST
    @Operation(summary = "Stock level changes: {\"stock_levels\": [{sku, location, on_hand, updated_at}, ...]} or one level",
            description = "Each level is published on its own to levain.raw.inventory: 202 when at least one was new, "
                    + "200 when the others were already accepted, with a result per level (rejected ones with their "
                    + "errors: invalid, or another on_hand for a sku, location and updated_at accepted before); 400 "
                    + "naming the bad fields when no level was valid; 409 when every valid level changed one accepted "
                    + "before (send the change with a later updated_at); 401 bad, missing or stale signature; 413 past "
                    + "the webhook body limit; 503 when Kafka cannot take them.")
    public Response post(@HeaderParam(TimestampedSignature.HEADER) String signature,
                         @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream stream) {
        sources.require(Source.INVENTORY);
        List<ReadItem<StockLevel>> items = metrics.countingRejections(Sources.INVENTORY, () -> {
            byte[] body = webhooks.read(Sources.INVENTORY, signature, contentLength, stream,
                    config.webhook().signingSecrets());
            return reader.readWebhook(body, config.webhook().maxBatchSize());
        });
        List<RawEvent> valid = items.stream().filter(ReadItem::valid).map(i -> i.item().toRawEvent()).toList();
        items.stream().filter(i -> !i.valid()).forEach(i -> metrics.rejected(Sources.INVENTORY, "invalid"));
        if (valid.isEmpty()) {
            throw new InvalidInputException(items.stream().flatMap(i -> i.errors().stream()).toList());
        }
        Iterator<IngestResult> published = ingest.ingestAll(Sources.INVENTORY, valid, ConflictPolicy.REFUSE).iterator();
        List<ItemResult> results = new ArrayList<>(items.size());
        for (ReadItem<StockLevel> item : items) {
            results.add(item.valid() ? result(item, published.next())
                    : ItemResult.rejected(item.index(), item.errors()));
        }
        BatchReport report = BatchReport.of(results);
        report.refuseIfNoneTaken();
        return Response.status(report.accepted() > 0 ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(report).build();
    }

    private static ItemResult result(ReadItem<StockLevel> item, IngestResult result) {
        StockLevel level = item.item();
        if (!result.conflict()) {
            return ItemResult.of(item.index(), level.key(), result);
        }
        return ItemResult.rejected(item.index(), level.key(), List.of(VersionConflictException.changed(
                "stock_levels[" + item.index() + "].updated_at",
                "stock level of " + level.sku() + " at " + level.location(),
                "updated_at " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(level.updatedAt()), "a later updated_at")));
    }
}
