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
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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

    /**
     * Sale X's rows are lines 2 and 4, with sale Y between them: X is refused whole (never published with
     * one line), Y and W are published, and Z, whose second row has another time, is refused whole.
     */
    @Test
    void saleWhoseRowsAreNotConsecutiveIsRefusedWholeAndNeverPublishedWithALineMissing() {
        String store = newStore();
        String body = HEADER + "\n"
                + row(store, "X", "2026-11-27T08:00:00+01:00", "SKU-1", "1", "1.00") + "\n"
                + row(store, "Y", "2026-11-27T08:05:00+01:00", "SKU-1", "1", "1.00") + "\n"
                + row(store, "X", "2026-11-27T08:00:00+01:00", "SKU-2", "1", "1.00") + "\n"
                + row(store, "Z", "2026-11-27T08:10:00+01:00", "SKU-1", "1", "1.00") + "\n"
                + row(store, "Z", "2026-11-27T09:10:00+01:00", "SKU-2", "1", "1.00") + "\n"
                + row(store, "W", "2026-11-27T08:20:00+01:00", "SKU-1", "2", "1.00") + "\n";
        String scattered = "sale " + store + "/X is refused: its rows are not consecutive in the file, "
                + "and the rows of one sale must be consecutive";

        upload(body).statusCode(200)
                .body("rows", equalTo(6))
                .body("items", equalTo(4))
                .body("accepted_items", equalTo(2))
                .body("rejected_items", equalTo(2))
                .body("accepted_rows", equalTo(2))
                .body("rejected_rows", equalTo(4))
                .body("rejections.line", org.hamcrest.Matchers.contains(2, 4, 5, 6))
                .body("rejections[0].reason", equalTo(scattered))
                .body("rejections[1].reason", equalTo(scattered))
                .body("rejections[2].reason", equalTo("refused with the rest of sale " + store
                        + "/Z, which has an invalid row"))
                .body("rejections[3].reason", equalTo("differs from line 5 of the same sale"));

        assertThat(recordsOf(store)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(store + "/Y", store + "/W");
    }

    /**
     * A million rows without a sale_id (7 bytes each, under the test's 8 MB limit) between two valid sales:
     * each is refused alone, the counts are exact, 1000 rejections are listed, and the service goes on.
     */
    @Test
    void millionRowsWithoutASaleIdAreEachRefusedAloneWithExactCounts() throws Exception {
        String store = newStore();
        int blankSaleRows = 1_000_000;
        String columns = "store_code,sale_id,occurred_at,sku,quantity,unit_price";
        byte[] head = (columns + "\n" + store + ",FIRST,2026-11-27T08:00:00+01:00,SKU-1,1,1.00\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] block = "S,,,,,\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        byte[] tail = (store + ",LAST,2026-11-27T09:00:00+01:00,SKU-1,1,1.00\n").getBytes(StandardCharsets.UTF_8);
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(head));
        for (int i = 0; i < blankSaleRows / 10_000; i++) {
            parts.add(new ByteArrayInputStream(block));
        }
        parts.add(new ByteArrayInputStream(tail));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + UPLOAD))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new SequenceInputStream(Collections.enumeration(parts))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonPath report = JsonPath.from(response.body());
        assertThat(report.getLong("rows")).isEqualTo(blankSaleRows + 2);
        assertThat(report.getLong("items")).isEqualTo(blankSaleRows + 2);
        assertThat(report.getLong("accepted_items")).isEqualTo(2);
        assertThat(report.getLong("accepted_rows")).isEqualTo(2);
        assertThat(report.getLong("rejected_items")).isEqualTo(blankSaleRows);
        assertThat(report.getLong("rejected_rows")).isEqualTo(blankSaleRows);
        assertThat(report.getList("rejections")).hasSize(1000);
        assertThat(report.getBoolean("rejections_truncated")).isTrue();
        assertThat(report.getInt("rejections[0].line")).isEqualTo(3);
        assertThat(report.getString("rejections[0].column")).isEqualTo("sale_id");
        assertThat(report.getString("rejections[0].reason")).isEqualTo("is required");
        assertThat(recordsOf(store)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(store + "/FIRST", store + "/LAST");

        upload(HEADER + "\n" + row(store, "AFTER", "2026-11-27T10:00:00+01:00", "SKU-1", "1", "1.00"))
                .statusCode(200).body("accepted_items", equalTo(1));
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

    /**
     * Sale A's second row arrives in the last chunk, after 600 other sales: A is refused whole, never published
     * with its first line alone while the rest of the file is still on its way.
     */
    @Test
    void saleWhoseLastRowArrivesInTheLastChunkIsNeverPublishedWithoutIt() throws IOException {
        String store = newStore();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = startChunkedUpload(socket);
            chunk(out, HEADER + "\n" + row(store, "A", "2026-11-27T09:00:00+01:00", "SKU-1", "1", "2.50") + "\n"
                    + IntStream.range(0, 600)
                    .mapToObj(i -> row(store, "S-" + i, "2026-11-27T10:00:00+01:00", "SKU-1", "1", "2.50") + "\n")
                    .collect(Collectors.joining()));
            out.flush();
            chunk(out, row(store, "A", "2026-11-27T09:00:00+01:00", "SKU-2", "1", "2.50") + "\n");
            assertThat(endChunkedUpload(socket)).isEqualTo("HTTP/1.1 200 OK");
        }
        List<ConsumerRecord<String, byte[]>> published = recordsOf(store);
        assertThat(published).hasSize(600).extracting(ConsumerRecord::key).doesNotContain(store + "/A");
    }

    /** A sales export is kept on disk while it arrives and is read; the copy is gone once it is answered. */
    @Test
    void temporaryCopyOfASalesExportIsDeletedWhateverTheAnswer() throws IOException {
        String store = newStore();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = startChunkedUpload(socket);
            chunk(out, HEADER + "\n" + row(store, "A", "2026-11-27T09:00:00+01:00", "SKU-1", "1", "2.50") + "\n");
            out.flush();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> spooledFiles() == 1);

            assertThat(endChunkedUpload(socket)).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(spooledFiles()).isZero();
        assertThat(recordsOf(store)).extracting(ConsumerRecord::key).containsExactly(store + "/A");

        upload("store_code,sale_id\n" + store + ",B\n").statusCode(400);
        assertThat(spooledFiles()).isZero();
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

    private static OutputStream startChunkedUpload(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + UPLOAD + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    /** Sends the last chunk and returns the answer's status line. */
    private static String endChunkedUpload(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
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
                .body("detail", containsString("nothing of it was stored"));
        assertThat(recordsOf(store)).isEmpty();
        assertThat(spooledFiles()).isZero();
    }

    /** Files in {@code levain.ingest.uploads.spool-dir} of the test profile. */
    private static long spooledFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target/upload-spool"))) {
            return files.count();
        }
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
