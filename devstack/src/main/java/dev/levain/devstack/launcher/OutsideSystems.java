package dev.levain.devstack.launcher;

import dev.levain.devstack.simulator.crm.CrmSimulator;
import dev.levain.devstack.simulator.inventory.InventorySimulator;
import dev.levain.devstack.simulator.square.SquareSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated outside systems ingest-service talks to, over real HTTP: the POS vendor (Square-shaped),
 * the CRM and the inventory system. Started before the services, since ingest is configured with their addresses.
 */
public final class OutsideSystems implements AutoCloseable {

    private static final String SQUARE_WEBHOOKS = "/api/v1/ingest/pos/square/webhooks";
    private static final String CRM_WEBHOOKS = "/api/v1/ingest/crm/webhooks";
    private static final String INVENTORY_WEBHOOKS = "/api/v1/ingest/inventory/webhooks";

    private final WebhookSecrets secrets;
    private final String ingestUrl;
    private final SquareSimulator square;
    private final CrmSimulator crm;
    private final InventorySimulator inventory;

    private OutsideSystems(WebhookSecrets secrets, String ingestUrl, SquareSimulator square, CrmSimulator crm,
                           InventorySimulator inventory) {
        this.secrets = secrets;
        this.ingestUrl = ingestUrl;
        this.square = square;
        this.crm = crm;
        this.inventory = inventory;
    }

    /** Starts the simulators on free ports; their webhooks go to the ingest service at {@code ingestUrl}. */
    public static OutsideSystems start(WebhookSecrets secrets, String ingestUrl) {
        SquareSimulator square = SquareSimulator.start(SquareSimulator.Options.of(secrets.squareAccessToken(),
                secrets.squareSignatureKey(), ingestUrl + SQUARE_WEBHOOKS));
        CrmSimulator crm = null;
        try {
            crm = CrmSimulator.start(0, secrets.crmApiToken());
            InventorySimulator inventory = InventorySimulator.start(new InventorySimulator.Options(0,
                    secrets.inventoryApiToken(), ingestUrl + INVENTORY_WEBHOOKS, secrets.inventoryWebhook()));
            return new OutsideSystems(secrets, ingestUrl, square, crm, inventory);
        } catch (RuntimeException e) {
            square.close();
            if (crm != null) {
                crm.close();
            }
            throw e;
        }
    }

    /** The environment that points ingest-service at these systems. */
    public Map<String, String> ingestEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LEVAIN_INGEST_POS_SQUARE_API_BASE_URL", square.baseUrl());
        environment.put("LEVAIN_INGEST_POS_SQUARE_NOTIFICATION_URL", ingestUrl + SQUARE_WEBHOOKS);
        environment.put("LEVAIN_INGEST_CRM_API_BASE_URL", crm.baseUrl().toString());
        environment.put("LEVAIN_INGEST_INVENTORY_API_BASE_URL", inventory.baseUrl());
        return environment;
    }

    /** The product the demo runs low early, so that an alert shows soon after the start. */
    public static final String DEMO_LOW_SKU = "CROISSANT";
    public static final String DEMO_LOW_STORE = "PAR-BASTILLE";

    /**
     * Makes the outside world busy: Square sales (more in the morning rush), CRM contacts changing and pushed,
     * stock falling through the day and restocked, pushed by webhook; croissants at Bastille run low after 30 s.
     */
    public void startDemo() {
        square.sellEvery(Duration.ofSeconds(5));
        crm.updateEvery(Duration.ofSeconds(15)).pushWebhooksTo(URI.create(ingestUrl + CRM_WEBHOOKS), secrets.crmWebhook());
        inventory.runDay(Duration.ofSeconds(10)).runLow(DEMO_LOW_SKU, DEMO_LOW_STORE, Duration.ofSeconds(30));
    }

    public SquareSimulator square() {
        return square;
    }

    public CrmSimulator crm() {
        return crm;
    }

    public InventorySimulator inventory() {
        return inventory;
    }

    @Override
    public void close() {
        try {
            square.close();
        } finally {
            try {
                crm.close();
            } finally {
                inventory.close();
            }
        }
    }
}
