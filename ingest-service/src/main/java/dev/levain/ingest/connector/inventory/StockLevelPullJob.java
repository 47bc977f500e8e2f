package dev.levain.ingest.connector.inventory;

import dev.levain.ingest.config.InventoryConfig;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.pull.PullJob;
import dev.levain.ingest.service.pull.PullResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Pulls stock levels per product and location ({@code GET /v1/stock-levels}) in JSON or XML, each level
 * published to {@code levain.raw.inventory} with the bytes it came in.
 */
@ApplicationScoped
public class StockLevelPullJob implements PullJob {

    public static final String NAME = "inventory-levels";
    static final String PATH = "/v1/stock-levels";

    private final InventoryPuller puller;
    private final StockLevelJsonReader json;
    private final StockLevelXmlReader xml;
    private final InventoryConfig config;

    public StockLevelPullJob(InventoryPuller puller, StockLevelJsonReader json, StockLevelXmlReader xml,
                             InventoryConfig config) {
        this.puller = puller;
        this.json = json;
        this.xml = xml;
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
        return config.pullEvery();
    }

    @Override
    public boolean enabled() {
        return config.apiBaseUrl().isPresent();
    }

    /** Asks for the configured format but reads what the answer says it is: some systems answer XML whatever is asked. */
    @Override
    public PullResult pull(Optional<String> cursor) {
        String accept = config.format() == InventoryConfig.Format.XML ? RawEvent.XML : RawEvent.JSON;
        return puller.pull(NAME, PATH, accept, cursor, answer -> switch (answer.contentType()) {
            case RawEvent.XML -> xml.readPage(answer.body());
            case RawEvent.JSON -> json.readPage(answer.body());
            default -> throw new InventoryApiException("Inventory API answered " + answer.contentType()
                    + " to GET " + PATH + "; JSON or XML was expected");
        });
    }
}
