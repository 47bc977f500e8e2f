package dev.levain.devstack.launcher;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets shared by the simulated outside systems (and the person uploading files) with ingest-service
 * for one run, made up fresh each time so that no secret lives in the repository.
 *
 * @param crmApiToken       the bearer token the simulated CRM API accepts and ingest-service sends
 * @param inventoryWebhook  signs the inventory system's stock-level webhooks
 * @param inventoryApiToken the bearer token ingest presents to the inventory API
 * @param uploadToken       the bearer token for CSV uploads
 * @param alertAdminToken   the bearer token of alert-service's admin API (rules, silences, history)
 */
public record WebhookSecrets(String posNative, String squareSignatureKey, String squareAccessToken,
                             String crmWebhook, String crmApiToken, String inventoryWebhook,
                             String inventoryApiToken, String uploadToken, String alertAdminToken) {

    public static WebhookSecrets random() {
        return new WebhookSecrets(token(), token(), token(), token(), token(), token(), token(), token(), token());
    }

    /** The environment that gives ingest-service these secrets. */
    public Map<String, String> ingestEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LEVAIN_INGEST_POS_NATIVE_SIGNING_SECRETS", posNative);
        environment.put("LEVAIN_INGEST_POS_SQUARE_SIGNATURE_KEY", squareSignatureKey);
        environment.put("LEVAIN_INGEST_POS_SQUARE_ACCESS_TOKEN", squareAccessToken);
        environment.put("LEVAIN_INGEST_CRM_WEBHOOK_SIGNING_SECRETS", crmWebhook);
        environment.put("LEVAIN_INGEST_CRM_API_TOKEN", crmApiToken);
        environment.put("LEVAIN_INGEST_UPLOADS_TOKENS", uploadToken);
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
