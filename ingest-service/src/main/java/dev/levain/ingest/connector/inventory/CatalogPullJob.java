package dev.levain.ingest.connector.inventory;

import dev.levain.ingest.config.InventoryConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.pull.PullJob;
import dev.levain.ingest.service.pull.PullResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/** Pulls the product catalog ({@code GET /v1/products}: unit cost, reorder point...) to {@code levain.raw.inventory}. */
@ApplicationScoped
public class CatalogPullJob implements PullJob {

    public static final String NAME = "inventory-catalog";
    static final String PATH = "/v1/products";

    private final InventoryPuller puller;
    private final CatalogJsonReader reader;
    private final InventoryConfig config;

    public CatalogPullJob(InventoryPuller puller, CatalogJsonReader reader, InventoryConfig config) {
        this.puller = puller;
        this.reader = reader;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Source source() {
        return Source.INVENTORY;
    }

    @Override
    public Duration every() {
        return config.catalogPullEvery();
    }

    @Override
    public boolean enabled() {
        return config.apiBaseUrl().isPresent();
    }

    @Override
    public PullResult pull(Optional<String> cursor) {
        return puller.pull(NAME, PATH, RawEvent.JSON, cursor, answer -> {
            if (!answer.contentType().equals(RawEvent.JSON)) {
                throw new InventoryApiException("Inventory API answered " + answer.contentType() + " to GET " + PATH
                        + "; JSON was expected");
            }
            return reader.readPage(answer.body());
        });
    }
}
