package dev.levain.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    void contactsArePublishedWhileTheFileIsStillArriving() throws IOException {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + UPLOAD + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer test-upload-token"
                    + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(out, HEADER + "\n" + IntStream.range(0, 601).mapToObj(i -> contact(tag, i) + "\n")
                    .collect(Collectors.joining()));
            out.flush();

            // The first 500 contacts are on Kafka before the upload has ended.
            await().atMost(Duration.ofSeconds(30)).until(() -> contactsOf(tag).size() >= 500);

            chunk(out, contact(tag, 601) + "\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(contactsOf(tag)).hasSize(602);
    }

    @Test
    void fileWithoutAnEmailColumnIsRefused() {
        upload("contact_id,name\nC-1,Marie\n").statusCode(400)
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("misses the column email"));
    }

    private List<ConsumerRecord<String, byte[]>> contactsOf(String tag) {
        return kafka.readAll(Topics.RAW_CRM).stream().filter(r -> r.key().contains(tag)).toList();
    }

    private static String contact(String tag, int i) {
        return "C-" + tag + "-" + i + ",Marie,Martin,marie." + tag + "." + i + "@example.com,,,";
    }

    private static void chunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static ValidatableResponse upload(String csv) {
        return given().contentType("text/csv").header("Authorization", "Bearer test-upload-token")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post(UPLOAD).then();
    }
}
