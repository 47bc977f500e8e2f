package dev.levain.ingest.rest;

import static dev.levain.ingest.support.RawCrmTopic.header;
import static dev.levain.ingest.support.RawCrmTopic.recordsOf;
import static dev.levain.ingest.support.RawCrmTopic.recordsWithBytes;
import static dev.levain.ingest.support.RawCrmTopic.text;
import static dev.levain.ingest.support.Webhooks.postSigned;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import dev.levain.devstack.simulator.crm.CrmSimulator;
import dev.levain.devstack.simulator.crm.CrmSimulator.Contact;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.events.EventIds;
import dev.levain.ingest.support.CrmSimulatorResource;
import dev.levain.ingest.support.InjectCrmSimulator;
import dev.levain.ingest.support.RawCrmTopic;
import dev.levain.ingest.support.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CrmSimulatorResource.class, scope = TestResourceScope.GLOBAL)
class CrmWebhookResourceTest {

    private static final String WEBHOOKS = "/api/v1/ingest/crm/webhooks";

    @InjectCrmSimulator
    CrmSimulator crm;

    @TestHTTPResource(WEBHOOKS)
    URI webhooksUrl;

    @Test
    void signedContactIsOnRawCrmTopicWithItsExactBytes() {
        String id = newContactId();
        String body = contact(id, "2026-11-27T08:15:00+01:00", "marie@example.com");

        String eventId = post(body)
                .statusCode(202)
                .body("status", equalTo("accepted"))
                .body("event_id", matchesPattern("[0-9a-f]{64}"))
                .extract().path("event_id");

        List<ConsumerRecord<String, byte[]>> records = recordsOf(id);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(text(record)).isEqualTo(body);
        assertThat(header(record, "ce_id")).isEqualTo(eventId)
                .isEqualTo(EventIds.stableId("levain/crm/panpan", id, "2026-11-27T07:15:00Z"));
        assertThat(header(record, "ce_type")).isEqualTo("levain.raw.crm.customer");
        assertThat(header(record, "ce_source")).isEqualTo("levain/crm/panpan");
        assertThat(header(record, "ce_time")).isEqualTo("2026-11-27T08:15:00+01:00");
    }

    @Test
    void sameContactSentFiveTimesConcurrentlyIsPublishedOnce() {
        String id = newContactId();
        String body = contact(id, "2026-11-27T08:15:00Z", "louis@example.com");

        List<Integer> statuses = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(body).extract().statusCode()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(statuses).containsExactlyInAnyOrder(202, 200, 200, 200, 200);
        assertThat(recordsOf(id)).hasSize(1);
        post(body).statusCode(200).body("status", equalTo("duplicate"));
        assertThat(recordsOf(id)).hasSize(1);
    }

    @Test
    void laterVersionOfAContactIsANewEvent() {
        String id = newContactId();
        post(contact(id, "2026-11-27T08:15:00Z", "hugo@example.com")).statusCode(202);
        post(contact(id, "2026-11-27T09:00:00Z", "hugo.new@example.com")).statusCode(202);
        assertThat(recordsOf(id)).hasSize(2);
    }

    @Test
    void changedContactUnderAnAcceptedUpdatedAtIs409NamingItAndAnIdenticalResendIsADuplicate() {
        String id = newContactId();
        String accepted = contact(id, "2026-11-27T08:15:00Z", "ines@example.com");
        post(accepted).statusCode(202);

        post(contact(id, "2026-11-27T08:15:00Z", "ines.new@example.com"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://levain.dev/problems/version-conflict"))
                .body("errors[0].field", equalTo("updated_at"))
                .body("errors[0].message", equalTo("contact " + id + ", updated_at 2026-11-27T08:15:00Z, was "
                        + "already accepted with other content; send the change with a later updated_at"));
        assertThat(recordsOf(id)).extracting(RawCrmTopic::text).containsExactly(accepted);

        post(accepted).statusCode(200).body("status", equalTo("duplicate"));
        // The same instant written with another offset says the same.
        post(contact(id, "2026-11-27T09:15:00+01:00", "ines@example.com")).statusCode(200)
                .body("status", equalTo("duplicate"));
        assertThat(recordsOf(id)).hasSize(1);
    }

    @Test
    void unsignedForgedAndStaleWebhooksAre401AndNothingIsPublished() {
        String id = newContactId();
        String body = contact(id, "2026-11-27T08:15:00Z", "lea@example.com");

        given().contentType("application/json").body(body).when().post(WEBHOOKS)
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("Missing Levain-Signature header"));
        // Signed, but with another source's secret.
        postSigned(WEBHOOKS, body, Webhooks.POS_SECRET, Instant.now()).statusCode(401)
                .body("detail", equalTo("Signature does not match the body"));
        postSigned(WEBHOOKS, body, CrmSimulatorResource.WEBHOOK_SECRET, Instant.now().minusSeconds(400))
                .statusCode(401).body("detail", containsString("away from now"));

        assertThat(recordsOf(id)).isEmpty();
    }

    @Test
    void invalidContactIsRefusedNamingEachFieldAndNothingIsPublished() {
        String body = """
                {"given_name": 3, "email": "not-an-email", "updated_at": "2026-11-27T08:15:00",
                 "marketing_opt_in": "yes"}""";

        post(body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", containsInAnyOrder("id", "updated_at", "given_name", "email", "marketing_opt_in"));

        String id = newContactId();
        post(contact(id, "2026-11-27T08:15:00Z", "camille@@example"))
                .statusCode(400)
                .body("errors[0].field", equalTo("email"))
                .body("errors[0].message", equalTo("is not an email address"));
        assertThat(recordsOf(id)).isEmpty();
    }

    @Test
    void bodyOverTheWebhookLimitIs413AndNothingIsPublished() {
        String id = newContactId();
        // levain.ingest.max-webhook-body-size is 1M; the %test profile keeps it.
        String huge = contact(id, "2026-11-27T08:15:00Z", "lea@example.com")
                .replace("\"given_name\"", "\"notes\": \"" + "x".repeat(1_100_000) + "\", \"given_name\"");

        post(huge).statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("title", equalTo("Payload too large"));

        assertThat(recordsOf(id)).isEmpty();
    }

    @Test
    void malformedJsonAndNonObjectBodiesAreRefused() {
        post("{\"id\": \"C-1\",").statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", startsWith("is not valid JSON"));
        post("[{\"id\": \"C-1\"}]").statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", equalTo("must be a contact object"));
    }

    @Test
    void updatePushedByTheCrmAndPulledLaterIsOneEvent() throws IOException {
        crm.pushWebhooksTo(webhooksUrl, CrmSimulatorResource.WEBHOOK_SECRET);
        Contact updated;
        try {
            updated = crm.update("CRM-0070");
            // The same version pushed again, whichever of the webhook or a pull published it first.
            assertThat(crm.pushWebhook("CRM-0070")).isEqualTo(200);
        } finally {
            crm.stopWebhooks();
        }

        given().auth().oauth2("test-upload-token").post("/api/v1/ingest/pulls/crm-customers/run").then().statusCode(200)
                .body("consecutive_failures", equalTo(0));
        assertThat(recordsWithBytes("CRM-0070", updated.toJson())).hasSize(1);
    }

    private static ValidatableResponse post(String body) {
        return postSigned(WEBHOOKS, body, CrmSimulatorResource.WEBHOOK_SECRET, Instant.now());
    }

    private static String newContactId() {
        return "C-" + UUID.randomUUID();
    }

    private static String contact(String id, String updatedAt, String email) {
        return """
                {"id": "%s", "given_name": "Marie", "family_name": "Martin",
                 "email": "%s", "phone": "+33612345678", "marketing_opt_in": true,
                 "created_at": "2025-03-01T10:00:00Z", "updated_at": "%s"}"""
                .formatted(id, email, updatedAt);
    }
}
