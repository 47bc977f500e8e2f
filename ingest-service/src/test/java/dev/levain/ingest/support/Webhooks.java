package dev.levain.ingest.support;

import static io.restassured.RestAssured.given;

import dev.levain.events.signature.TimestampedSignature;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Sends webhooks the way a configured source does: signed with the test profile's secret. */
public final class Webhooks {

    /** The POS native secret of the %test profile. */
    public static final String POS_SECRET = "test-pos-secret";

    private Webhooks() {
    }

    public static ValidatableResponse postSigned(String path, String body) {
        return postSigned(path, body, POS_SECRET, Instant.now());
    }

    public static ValidatableResponse postSigned(String path, String body, String secret, Instant at) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return given().contentType("application/json")
                .header(TimestampedSignature.HEADER, TimestampedSignature.sign(secret, at, bytes))
                .body(bytes)
                .when().post(path)
                .then();
    }
}
