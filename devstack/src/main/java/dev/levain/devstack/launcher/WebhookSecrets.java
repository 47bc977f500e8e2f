package dev.levain.devstack.launcher;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets shared by the simulated outside systems and ingest-service for one run, made up fresh
 * each time so that no secret lives in the repository.
 *
 * @param inventoryWebhook  signs the inventory system's stock-level webhooks
 * @param inventoryApiToken the bearer token ingest presents to the inventory API
 */
public record WebhookSecrets(String posNative, String inventoryWebhook, String inventoryApiToken) {

    public static WebhookSecrets random() {
        return new WebhookSecrets(token(), token(), token());
    }

    /** The environment that gives ingest-service these secrets. */
    public Map<String, String> ingestEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LEVAIN_INGEST_POS_NATIVE_SIGNING_SECRETS", posNative);
        environment.put("LEVAIN_INGEST_INVENTORY_WEBHOOK_SIGNING_SECRETS", inventoryWebhook);
        environment.put("LEVAIN_INGEST_INVENTORY_API_TOKEN", inventoryApiToken);
        return environment;
    }

    private static String token() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
