package dev.levain.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
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
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class PosCsvUploadTest {

    private static final String UPLOAD = "/api/v1/ingest/pos/csv";
    private static final String TOKEN = "test-upload-token";
    private static final String HEADER = "store_code,sale_id,occurred_at,sku,quantity,unit_price,discount,customer_email";

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void goodSalesArePublishedAndTheBadOneIsReportedWithItsLines() {
        String store = newStore();
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int sale = 1; sale <= 10; sale++) {
            for (int line = 1; line <= 3; line++) {
                String quantity = sale == 4 && line == 2 ? "deux" : String.valueOf(line);
                csv.append(row(store, "S-" + sale, "2026-11-27T08:%02d:00+01:00".formatted(sale), "SKU-" + line, quantity,
                        "1.40")).append('\n');
            }
        }

        upload(csv.toString())
                .statusCode(200)
                .body("rows", equalTo(30))
                .body("items", equalTo(10))
                .body("accepted_items", equalTo(9))
                .body("rejected_items", equalTo(1))
                .body("accepted_rows", equalTo(27))
                .body("rejected_rows", equalTo(3))
                .body("rejections.line", org.hamcrest.Matchers.contains(11, 12, 13))
                .body("rejections[1].column", equalTo("quantity"))
                .body("rejections[1].reason", equalTo("is not a number: deux"));

        List<ConsumerRecord<String, byte[]>> published = recordsOf(store);
        assertThat(published).hasSize(9);
        assertThat(published).extracting(ConsumerRecord::key).doesNotContain(store + "/S-4");
        ConsumerRecord<String, byte[]> first = published.stream().filter(r -> r.key().equals(store + "/S-1")).findFirst()
                .orElseThrow();
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(HEADER + "\n"
                + row(store, "S-1", "2026-11-27T08:01:00+01:00", "SKU-1", "1", "1.40") + "\n"
                + row(store, "S-1", "2026-11-27T08:01:00+01:00", "SKU-2", "2", "1.40") + "\n"
                + row(store, "S-1", "2026-11-27T08:01:00+01:00", "SKU-3", "3", "1.40"));
        assertThat(header(first, "ce_type")).isEqualTo("levain.raw.pos.csv-sale");
        assertThat(header(first, "ce_source")).isEqualTo("levain/pos-csv/" + store);
        assertThat(header(first, "content-type")).startsWith("text/csv");

        // The same file again: everything is known, nothing is published twice.
        upload(csv.toString()).statusCode(200).body("accepted_items", equalTo(0)).body("duplicate_items", equalTo(9));
        assertThat(recordsOf(store)).hasSize(9);
    }

    @Test
    void frenchExcelExportWithSemicolonsDecimalCommasBomAndQuotesIsRead() {
        String store = newStore();
        String body = "\uFEFFstore_code;sale_id;occurred_at;sku;quantity;unit_price;name\r\n"
                + store + ";T-1;27/11/2026 08:15;CROISSANT;2;1,40;\"Croissant; au beurre\"\r\n"
                + store + ";T-1;27/11/2026 08:15;ECLAIR;1;3,60;\"Éclair \"\"café\"\"\nmaison\"\r\n";

        upload(body).statusCode(200).body("accepted_items", equalTo(1)).body("rejected_rows", equalTo(0));

        ConsumerRecord<String, byte[]> record = recordsOf(store).get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(
                "store_code;sale_id;occurred_at;sku;quantity;unit_price;name\n"
                        + store + ";T-1;27/11/2026 08:15;CROISSANT;2;1,40;\"Croissant; au beurre\"\n"
                        + store + ";T-1;27/11/2026 08:15;ECLAIR;1;3,60;\"Éclair \"\"café\"\"\nmaison\"");
        assertThat(header(record, "ce_time")).isEqualTo("2026-11-27T08:15:00+01:00");
    }

    @Test
    void rowsOfOneSaleThatAreNotConsecutiveAndInconsistentSalesAreRefused() {
        String store = newStore();
        String body = HEADER + "\n"
                + row(store, "A", "2026-11-27T08:00:00+01:00", "SKU-1", "1", "1.00") + "\n"
                + row(store, "B", "2026-11-27T08:05:00+01:00", "SKU-1", "1", "1.00") + "\n"
                + row(store, "A", "2026-11-27T08:00:00+01:00", "SKU-2", "1", "1.00") + "\n"
                + row(store, "C", "2026-11-27T08:10:00+01:00", "SKU-1", "1", "1.00") + "\n"
                + row(store, "C", "2026-11-27T09:10:00+01:00", "SKU-2", "1", "1.00") + "\n";

        upload(body).statusCode(200)
                .body("accepted_items", equalTo(2))
                .body("rejections.find { it.line == 4 }.reason", containsString("must be consecutive"))
                .body("rejections.find { it.line == 6 }.reason", equalTo("differs from line 5 of the same sale"));
    }

    @Test
    void unusableFilesAreRefusedWholeNamingTheProblem() {
        upload("store_code,sale_id,sku,quantity\nX,1,A,1\n").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.message", hasItem(containsString("misses the column occurred_at")));
        upload("").statusCode(400).body("errors[0].field", equalTo("file"));
        upload("\n\n").statusCode(400).body("errors[0].message", containsString("is empty"));
    }

    @Test
    void uploadsWithoutAValidTokenAre401AndPublishNothing() {
        String store = newStore();
        String body = HEADER + "\n" + row(store, "S-1", "2026-11-27T08:00:00+01:00", "SKU-1", "1", "1.00");

        given().contentType("text/csv").body(body).post(UPLOAD).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
        given().contentType("text/csv").header("Authorization", "Bearer wrong").body(body).post(UPLOAD)
                .then().statusCode(401).body("detail", equalTo("The upload token is not valid"));
        assertThat(recordsOf(store)).isEmpty();
    }

    @Test
    void salesArePublishedWhileTheFileIsStillArriving() throws IOException {
        String store = newStore();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + UPLOAD + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(out, HEADER + "\n" + IntStream.range(0, 601)
                    .mapToObj(i -> row(store, "S-" + i, "2026-11-27T10:00:00+01:00", "SKU-1", "1", "2.50") + "\n")
                    .collect(Collectors.joining()));
            out.flush();

            // The first 500 complete sales are on Kafka before the upload has ended.
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(store).size() >= 500);

            chunk(out, row(store, "S-601", "2026-11-27T10:00:00+01:00", "SKU-1", "1", "2.50") + "\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(recordsOf(store)).hasSize(602);
    }

    @Test
    void saleWithAnUnreadableRowOrTooManyLinesIsRefusedWholeAndTheOthersAreKept() {
        String store = newStore();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((HEADER + ",name,\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes((row(store, "A", "2026-11-27T08:00:00+01:00", "SKU-1", "1", "1.00") + ",Pain,\n")
                .getBytes(StandardCharsets.UTF_8));
        // A row saved in Latin-1 in the middle of sale A.
        file.writeBytes((row(store, "A", "2026-11-27T08:00:00+01:00", "SKU-2", "1", "1.00") + ",\u00c9clair,\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        file.writeBytes((row(store, "A", "2026-11-27T08:00:00+01:00", "SKU-3", "1", "1.00") + ",Pain,\n")
                .getBytes(StandardCharsets.UTF_8));
        for (int line = 0; line < 501; line++) {
            file.writeBytes((row(store, "BIG", "2026-11-27T09:00:00+01:00", "SKU-" + line, "1", "1.00") + ",Pain,\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        file.writeBytes((row(store, "C", "2026-11-27T10:00:00+01:00", "SKU-1", "1", "1.00") + ",Pain,\n")
                .getBytes(StandardCharsets.UTF_8));

        given().contentType("text/csv").header("Authorization", "Bearer " + TOKEN).body(file.toByteArray())
                .when().post(UPLOAD).then()
                .statusCode(200)
                .body("accepted_items", equalTo(1))
                .body("rejected_items", equalTo(2))
                .body("rejected_rows", equalTo(504))
                .body("rejections.find { it.line == 3 }.reason", startsWith("row is not valid UTF-8"))
                .body("rejections.find { it.line == 4 }.reason", containsString("refused with the rest of sale"))
                .body("rejections.find { it.line == 505 }.reason", containsString("has more than 500 lines"));

        assertThat(recordsOf(store)).extracting(ConsumerRecord::key).containsExactly(store + "/C");
    }

    private static void chunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void fileOverTheUploadLimitIs413() throws IOException {
        // With a Content-Length over the limit, refused before a byte of the body is sent.
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.getOutputStream().write(("POST " + UPLOAD + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: " + (9 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        // Streamed without a length, refused once the limit is crossed.
        String store = newStore();
        String rows = IntStream.range(0, 120_000)
                .mapToObj(i -> row(store, "S-" + i, "2026-11-27T10:00:00+01:00", "SKU-1", "1", "2.50"))
                .collect(Collectors.joining("\n"));
        byte[] big = (HEADER + "\n" + rows).getBytes(StandardCharsets.UTF_8);
        assertThat(big.length).isGreaterThan(8 * 1024 * 1024);
        given().contentType("text/csv").header("Authorization", "Bearer " + TOKEN)
                .body(new ByteArrayInputStream(big)).post(UPLOAD)
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("items before that point were stored"));
    }

    private static ValidatableResponse upload(String csv) {
        return given().contentType("text/csv").header("Authorization", "Bearer " + TOKEN)
                .queryParam("file", "export.csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post(UPLOAD).then();
    }

    private List<ConsumerRecord<String, byte[]>> recordsOf(String store) {
        return kafka.readAll(Topics.RAW_POS).stream().filter(r -> r.key().startsWith(store + "/")).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String row(String store, String sale, String at, String sku, String quantity, String price) {
        return String.join(",", store, sale, at, sku, quantity, price, "", "marie@example.com");
    }

    private static String newStore() {
        return "CSV-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
