package dev.levain.api.report;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.api.service.ReportRun;
import dev.levain.api.service.ReportSender;
import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.CoreSeed.Line;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sales report by e-mail, to the recipients of {@code %test.levain.api.report.recipients}
 * (owner@panpan.example weekly, manager@panpan.example daily), received by a real SMTP server.
 *
 * <pre>
 * Store REPORT (Europe/Paris)                      BREAD 2.00 (cost 0.50), CAKE 10.00 (cost 4.00)
 * Week Mon 2026-02-23 .. Sun 03-01
 *   Feb 24 10:00  alice  3 BREAD                 net  6.00
 *   Feb 26 11:00  bob    1 CAKE, 1.00 discount   net  9.00
 *   Mar  1 09:00  anonymous 2 BREAD              net  4.00
 *   Mar  1 10:00  refund 2.00 of the Feb 24 sale net −2.00
 *   → net 17.00, 3 transactions, average ticket 5.67; Sunday Mar 1 alone: net 2.00, 1 transaction
 * Previous week: Feb 17 alice 1 CAKE net 10.00 (alice's first purchase)
 * Same week last year: 2025-02-25 carol 2 BREAD net 4.00
 * Customers of the week: alice and bob active; bob new; alice was active the week before → 1 retained, rate 1.0
 * </pre>
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class ReportTest {

    private static final String OWNER = "owner@panpan.example";
    private static final String MANAGER = "manager@panpan.example";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReportSender sender;

    private String store;

    @BeforeEach
    void aWeekOfSales() {
        CoreSeed seed = new CoreSeed(dataSource);
        store = seed.code("REPORT");
        long storeId = seed.store(store, "Europe/Paris");
        long bread = seed.product("BREAD", "2.00", "0.50", "10");
        long cake = seed.product("CAKE", "10.00", "4.00", "2");
        long alice = seed.customer("alice");
        long bob = seed.customer("bob");
        long carol = seed.customer("carol");
        seed.sale(storeId, alice, "2026-02-17T10:00:00+01:00", "in_store", "completed", new Line(cake, "1", "10.00", "0.00"));
        long first = seed.sale(storeId, alice, "2026-02-24T10:00:00+01:00", "in_store", "completed",
                new Line(bread, "3", "2.00", "0.00"));
        seed.sale(storeId, bob, "2026-02-26T11:00:00+01:00", "delivery", "completed", new Line(cake, "1", "10.00", "1.00"));
        seed.sale(storeId, null, "2026-03-01T09:00:00+01:00", "in_store", "completed", new Line(bread, "2", "2.00", "0.00"));
        seed.refund(first, "2026-03-01T10:00:00+01:00", "2.00");
        seed.sale(storeId, carol, "2025-02-25T10:00:00+01:00", "in_store", "completed", new Line(bread, "2", "2.00", "0.00"));
        seed.stock(bread, storeId, "20", "2026-02-01T08:00:00+01:00");
        seed.stock(cake, storeId, "4", "2026-02-01T08:00:00+01:00");
        seed.rollUp();
    }

    @Test
    void twoReplicasSendEachRecipientItsReportOnceWithTheApisFigures() throws Exception {
        ApiTestResource.mailbox().purgeEmailFromAllMailboxes();
        Instant mondayMorning = Instant.parse("2026-03-02T06:30:00Z"); // 07:30 in Paris, past send-at 07:00
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<List<ReportRun>> replicaA = CompletableFuture.supplyAsync(() -> await(start, "replica-a", mondayMorning));
        CompletableFuture<List<ReportRun>> replicaB = CompletableFuture.supplyAsync(() -> await(start, "replica-b", mondayMorning));
        start.countDown();
        List<ReportRun> sent = new ArrayList<>(replicaA.get());
        sent.addAll(replicaB.get());

        assertThat(sent).extracting(ReportRun::recipient, ReportRun::frequency, ReportRun::periodFrom, ReportRun::periodTo)
                .containsExactlyInAnyOrder(
                        tuple(OWNER, "weekly", LocalDate.parse("2026-02-23"), LocalDate.parse("2026-03-01")),
                        tuple(MANAGER, "daily", LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01")));
        assertThat(mailsTo(OWNER)).hasSize(1);
        assertThat(mailsTo(MANAGER)).hasSize(1);
        // Later checks of the same day, by either replica, owe nothing more.
        assertThat(sender.sendDue(mondayMorning.plusSeconds(3600), "replica-b")).isEmpty();
        assertThat(ApiTestResource.mailbox().getReceivedMessages()).hasSize(2);

        Mail weekly = Mail.of(mailsTo(OWNER).get(0));
        assertThat(weekly.subject).isEqualTo("Levain weekly sales report, 2026-02-23 to 2026-03-01");
        Map<String, Object> row = storeRow(weekly.workbook);
        // By hand (class comment), then equal to what the API answers for the same week.
        assertThat(number(row, "Net sales")).isEqualByComparingTo("17.00");
        assertThat(number(row, "Net sales previous")).isEqualByComparingTo("10.00");
        assertThat(number(row, "Net sales last year")).isEqualByComparingTo("4.00");
        assertThat(number(row, "Transactions")).isEqualByComparingTo("3");
        assertThat(number(row, "New customers")).isEqualByComparingTo("1");
        assertThat(number(row, "Retained customers")).isEqualByComparingTo("1");
        assertFiguresOfTheApi(row, "2026-02-23", "2026-03-01");
        assertThat(weekly.text).contains("Store REPORT").contains("17.00").contains("+70%").contains("+325%");
        assertThat(weekly.html).contains("<td style=\"text-align:left\">Store " + store + "</td><td>17.00</td>")
                .contains("alert-service is not configured");

        Map<String, Object> sunday = storeRow(Mail.of(mailsTo(MANAGER).get(0)).workbook);
        assertThat(number(sunday, "Net sales")).isEqualByComparingTo("2.00");
        assertThat(number(sunday, "Transactions")).isEqualByComparingTo("1");
        assertFiguresOfTheApi(sunday, "2026-03-01", "2026-03-01");

        JsonPath history = admin().when().get("/api/v1/admin/reports").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("findAll { it.period_from == '2026-02-23' }.sent_by", String.class))
                .singleElement().isIn("replica-a", "replica-b");
        viewer().when().get("/api/v1/admin/reports").then().statusCode(403);
    }

    @Test
    void beforeSendAtTheWeekJustOverIsNotOwedYet() throws Exception {
        ApiTestResource.mailbox().purgeEmailFromAllMailboxes();
        // Monday 2027-03-01 06:30 in Paris: the week of Feb 22-28 is owed only from 07:00.
        List<ReportRun> sent = sender.sendDue(Instant.parse("2027-03-01T05:30:00Z"), "replica-a");
        assertThat(sent).extracting(ReportRun::periodFrom).doesNotContain(LocalDate.parse("2027-02-22"));
        List<ReportRun> later = sender.sendDue(Instant.parse("2027-03-01T06:01:00Z"), "replica-a");
        assertThat(later).extracting(ReportRun::recipient, ReportRun::periodFrom)
                .contains(tuple(OWNER, LocalDate.parse("2027-02-22")));
    }

    @Test
    void anAdminPreviewsAnyWeeksReportAndDownloadsItsWorkbook() throws IOException {
        admin().queryParam("frequency", "weekly").queryParam("date", "2026-02-25")
                .when().get("/api/v1/admin/reports/preview")
                .then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("Levain weekly sales report, 2026-02-23 to 2026-03-01"))
                .body(containsString("Store " + store + "</td><td>17.00</td>"));
        byte[] workbook = admin().queryParam("frequency", "monthly").queryParam("date", "2026-02-10")
                .when().get("/api/v1/admin/reports/workbook")
                .then().statusCode(200)
                .header("Content-Disposition", containsString("levain-monthly-2026-02-01.xlsx"))
                .extract().asByteArray();
        // February: the Feb 17, 24 and 26 sales, 10 + 6 + 9 = 25 (the refund is given on March 1).
        assertThat(number(storeRow(workbook), "Net sales")).isEqualByComparingTo("25.00");
        assertFiguresOfTheApi(storeRow(workbook), "2026-02-01", "2026-02-28");

        admin().queryParam("frequency", "yearly").queryParam("date", "2026-02-10")
                .when().get("/api/v1/admin/reports/preview")
                .then().statusCode(400).contentType("application/problem+json").body("parameter", equalTo("frequency"));
        admin().queryParam("date", "10/02/2026").when().get("/api/v1/admin/reports/workbook")
                .then().statusCode(400).contentType("application/problem+json").body("parameter", equalTo("date"));
        viewer().queryParam("date", "2026-02-10").when().get("/api/v1/admin/reports/workbook").then().statusCode(403);
    }

    /** The workbook's row of this test's store equals the KPI API's answer for the same dates. */
    private void assertFiguresOfTheApi(Map<String, Object> row, String from, String to) {
        JsonPath sales = admin().queryParam("store", store).queryParam("from", from).queryParam("to", to)
                .when().get("/api/v1/kpis/sales").then().statusCode(200).extract().jsonPath();
        JsonPath customers = admin().queryParam("store", store).queryParam("from", from).queryParam("to", to)
                .when().get("/api/v1/kpis/customers").then().statusCode(200).extract().jsonPath();
        JsonPath turnover = admin().queryParam("store", store).queryParam("from", from).queryParam("to", to)
                .when().get("/api/v1/kpis/inventory/turnover").then().statusCode(200).extract().jsonPath();
        assertThat(number(row, "Net sales")).isEqualByComparingTo(json(sales, "by_store[0].figures.net_sales"));
        assertThat(number(row, "Net sales previous")).isEqualByComparingTo(json(sales, "by_store[0].previous_period.net_sales"));
        assertThat(number(row, "Net sales last year"))
                .isEqualByComparingTo(json(sales, "by_store[0].same_period_last_year.net_sales"));
        assertThat(number(row, "Transactions")).isEqualByComparingTo(json(sales, "by_store[0].figures.transactions"));
        assertThat(number(row, "Average ticket")).isEqualByComparingTo(json(sales, "by_store[0].figures.average_ticket"));
        assertThat(number(row, "New customers")).isEqualByComparingTo(json(customers, "by_store[0].figures.new_customers"));
        assertThat(number(row, "Active customers")).isEqualByComparingTo(json(customers, "by_store[0].figures.active_customers"));
        assertThat(number(row, "Retained customers"))
                .isEqualByComparingTo(json(customers, "by_store[0].figures.retained_customers"));
        assertThat(number(row, "Turnover")).isEqualByComparingTo(json(turnover, "by_store[0].figures.turnover"));
    }

    private List<ReportRun> await(CountDownLatch start, String replica, Instant now) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return sender.sendDue(now, replica);
    }

    private static List<MimeMessage> mailsTo(String address) throws MessagingException {
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage message : ApiTestResource.mailbox().getReceivedMessages()) {
            if (Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(to -> to.toString().equals(address))) {
                mails.add(message);
            }
        }
        return mails;
    }

    /** The sheet Stores' row of this test's store, by column name. */
    private Map<String, Object> storeRow(byte[] workbook) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(workbook))) {
            Sheet sheet = book.getSheet("Stores");
            Row header = sheet.getRow(0);
            for (Row row : sheet) {
                Cell code = row.getCell(1);
                if (code != null && store.equals(code.getStringCellValue())) {
                    Map<String, Object> values = new HashMap<>();
                    for (Cell name : header) {
                        Cell cell = row.getCell(name.getColumnIndex());
                        Object value = cell == null ? null
                                : cell.getCellType() == CellType.NUMERIC ? (Object) cell.getNumericCellValue() : cell.getStringCellValue();
                        values.put(name.getStringCellValue(), value);
                    }
                    return values;
                }
            }
        }
        throw new AssertionError("No row of store " + store + " in the workbook");
    }

    private static BigDecimal number(Map<String, Object> row, String column) {
        assertThat(row).containsKey(column);
        Object value = row.get(column);
        assertThat(value).as(column).isInstanceOf(Double.class);
        return BigDecimal.valueOf((Double) value).setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal json(JsonPath json, String path) {
        Object value = json.get(path);
        assertThat(value).as(path).isNotNull();
        return new BigDecimal(value.toString()).setScale(2, RoundingMode.HALF_UP);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", bearer(TestTokens.admin()));
    }

    private static RequestSpecification viewer() {
        return given().header("Authorization", bearer(TestTokens.viewer()));
    }

    /** What a mail client shows of a report: its subject, plain-text and HTML parts and the attached workbook. */
    private static final class Mail {
        String subject;
        String text;
        String html;
        byte[] workbook;

        static Mail of(MimeMessage message) throws MessagingException, IOException {
            Mail mail = new Mail();
            mail.subject = message.getSubject();
            mail.walk(message);
            assertThat(mail.text).as("plain-text part").isNotNull();
            assertThat(mail.html).as("HTML part").isNotNull();
            assertThat(mail.workbook).as("workbook attachment").isNotNull();
            return mail;
        }

        private void walk(Part part) throws MessagingException, IOException {
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child);
                }
            } else if (part.getFileName() != null && part.getFileName().endsWith(".xlsx")) {
                workbook = part.getInputStream().readAllBytes();
            } else if (part.isMimeType("text/plain")) {
                text = part.getContent().toString();
            } else if (part.isMimeType("text/html")) {
                html = part.getContent().toString();
            }
        }
    }
}
