package dev.levain.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ContactCsvUploadTest {

    private static final String UPLOAD = "/api/v1/ingest/crm/contacts/csv";
    private static final String HEADER = "contact_id,given_name,family_name,email,phone,updated_at,marketing_opt_in";

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void validContactsArePublishedAndBadRowsReportedByLine() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String good = "C-" + tag + "-1,Marie,Martin,marie." + tag + "@example.com,+33 6 12 34 56 78,2026-11-20T10:00:00Z,yes";
        String csv = HEADER + "\n"
                + good + "\n"
                + "C-" + tag + "-2,Louis,Bernard,not-an-email,,,no\n"
                + ",Camille,Dubois,camille." + tag + "@example.com,,,maybe\n"
                + ",Hugo,Thomas,Hugo." + tag + "@Example.com,,,\n";

        upload(csv).statusCode(200)
                .body("rows", equalTo(4))
                .body("accepted_items", equalTo(2))
                .body("rejected_items", equalTo(2))
                .body("rejections.line", contains(3, 4))
                .body("rejections.column", contains("email", "marketing_opt_in"));

        List<ConsumerRecord<String, byte[]>> published = kafka.readAll(Topics.RAW_CRM).stream()
                .filter(r -> r.key().contains(tag)).toList();
        assertThat(published).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("C-" + tag + "-1", "email:hugo." + tag + "@example.com");
        ConsumerRecord<String, byte[]> marie = published.stream().filter(r -> r.key().endsWith("-1")).findFirst()
                .orElseThrow();
        assertThat(new String(marie.value(), StandardCharsets.UTF_8)).isEqualTo(HEADER + "\n" + good);
        assertThat(new String(marie.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("levain.raw.crm.csv-contact");

        upload(csv).statusCode(200).body("accepted_items", equalTo(0)).body("duplicate_items", equalTo(2));
        assertThat(kafka.readAll(Topics.RAW_CRM).stream().filter(r -> r.key().contains(tag))).hasSize(2);
    }

    @Test
    void fileWithoutAnEmailColumnIsRefused() {
        upload("contact_id,name\nC-1,Marie\n").statusCode(400)
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("misses the column email"));
    }

    private static ValidatableResponse upload(String csv) {
        return given().contentType("text/csv").header("Authorization", "Bearer test-upload-token")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post(UPLOAD).then();
    }
}
