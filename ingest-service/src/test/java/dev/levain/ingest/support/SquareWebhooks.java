package dev.levain.ingest.support;

import static io.restassured.RestAssured.given;

import dev.levain.devstack.simulator.square.SquareWebhook;
import dev.levain.events.signature.SquareSignature;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;

/** Posts Square webhooks the way Square does, with the %test profile's Square settings. */
public final class SquareWebhooks {

    public static final String PATH = "/api/v1/ingest/pos/square/webhooks";
    /** The %test profile's levain.ingest.pos.square.* values. */
    public static final String SIGNATURE_KEY = "test-square-signature-key";
    public static final String ACCESS_TOKEN = "test-square-access-token";
    public static final String NOTIFICATION_URL = "https://ingest.panpan.test/api/v1/ingest/pos/square/webhooks";

    private SquareWebhooks() {
    }

    /** Delivers a simulator-made webhook with its own signature. */
    public static ValidatableResponse post(SquareWebhook webhook) {
        return post(webhook.body(), webhook.signature());
    }

    /** Signs {@code body} with the test key for the registered notification URL and posts it. */
    public static ValidatableResponse postSigned(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post(bytes, SquareSignature.sign(SIGNATURE_KEY, NOTIFICATION_URL, bytes));
    }

    public static ValidatableResponse post(byte[] body, String signature) {
        var request = given().contentType("application/json").body(body);
        if (signature != null) {
            request.header(SquareSignature.HEADER, signature);
        }
        return request.when().post(PATH).then();
    }
}
