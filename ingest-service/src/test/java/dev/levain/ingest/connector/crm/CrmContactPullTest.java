package dev.levain.ingest.connector.crm;

import static dev.levain.ingest.support.RawCrmTopic.header;
import static dev.levain.ingest.support.RawCrmTopic.recordsOf;
import static dev.levain.ingest.support.RawCrmTopic.recordsWithBytes;
import static dev.levain.ingest.support.RawCrmTopic.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.levain.devstack.simulator.crm.CrmSimulator;
import dev.levain.devstack.simulator.crm.CrmSimulator.Contact;
import dev.levain.devstack.simulator.crm.CrmSimulator.ContactsRequest;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.events.EventIds;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.repository.PullLeaseRepository;
import dev.levain.ingest.service.IngestSources;
import dev.levain.ingest.service.pull.PullCursors;
import dev.levain.ingest.service.pull.PullJob;
import dev.levain.ingest.service.pull.PullScheduler;
import dev.levain.ingest.service.pull.PullStatus;
import dev.levain.ingest.support.CrmSimulatorResource;
import dev.levain.ingest.support.InjectCrmSimulator;
import dev.levain.ingest.support.RawCrmTopic;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled CRM pull against the simulated CRM API. Pulls also run on their own every second
 * meanwhile, so each test makes a pull happen now and asserts outcomes that any interleaving gives.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CrmSimulatorResource.class, scope = TestResourceScope.GLOBAL)
class CrmContactPullTest {

    private static final String JOB = CrmContactPull.NAME;
    private static final String SOURCE = "levain/crm/panpan";
    private static final Duration OVERLAP = Duration.ofMinutes(5);

    @InjectCrmSimulator
    CrmSimulator crm;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Instance<PullJob> jobs;

    @Inject
    IngestSources sources;

    @Inject
    PullCursors cursors;

    @Inject
    PullLeaseRepository leases;

    @Inject
    Scheduler scheduler;

    @Inject
    IngestConfig config;

    @AfterEach
    void healCrm() {
        crm.heal();
    }

    @Test
    void pullsApiIsForOperatorsOnly() {
        given().get("/api/v1/ingest/pulls").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("wrong").post("/api/v1/ingest/pulls/" + JOB + "/run").then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.equalTo("The upload token is not valid"));
    }

    @Test
    void pullPublishesEveryContactWithItsExactBytesAndCloudEventsHeaders() {
        runNow();

        List<String> ids = crm.contacts().stream().map(Contact::id).toList();
        assertThat(RawCrmTopic.all().stream().map(ConsumerRecord::key).distinct()).containsAll(ids);

        // No test changes CRM-0001: it was published once, as the first pull read it.
        Contact contact = crm.contact("CRM-0001");
        List<ConsumerRecord<String, byte[]>> records = recordsOf("CRM-0001");
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(text(record)).isEqualTo(contact.toJson());
        assertThat(header(record, "ce_id"))
                .isEqualTo(EventIds.stableId(SOURCE, "CRM-0001", contact.updatedAt().toString()));
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("levain.raw.crm.customer");
        assertThat(header(record, "ce_source")).isEqualTo(SOURCE);
        assertThat(OffsetDateTime.parse(header(record, "ce_time")).toInstant()).isEqualTo(contact.updatedAt());
        assertThat(header(record, "ce_contenthash")).isEqualTo(EventIds.sha256(record.value()));
        assertThat(header(record, "ce_receivedat")).isNotBlank();
        // 120 contacts at 25 a page: the pull followed the page tokens, with the configured page size.
        assertThat(crm.requests()).anyMatch(r -> r.pageToken() != null && r.limit() == 25);
    }

    @Test
    void updatedContactIsPublishedOnceAndUnchangedContactsAreNotPublishedAgain() {
        runNow();
        Contact updated = crm.update("CRM-0042");

        runNow();
        assertThat(recordsWithBytes("CRM-0042", updated.toJson())).hasSize(1);

        // The next pull reads CRM-0042 again (it is inside the overlap window) and publishes nothing.
        JsonPath again = runNow();
        assertThat(again.getInt("last_result.published")).isZero();
        assertThat(again.getInt("last_result.duplicates")).isPositive();
        assertThat(recordsWithBytes("CRM-0042", updated.toJson())).hasSize(1);
        assertThat(recordsOf("CRM-0001")).hasSize(1);
        Map<String, Long> perEventId = RawCrmTopic.all().stream()
                .collect(Collectors.groupingBy(r -> header(r, "ce_id"), Collectors.counting()));
        assertThat(perEventId).allSatisfy((id, count) -> assertThat(count).as("records of event %s", id).isEqualTo(1));
    }

    @Test
    void contactChangedInTheCrmUnderTheSameUpdatedAtIsPublishedAsACorrectionReceivedLater() {
        runNow();
        Contact updated = crm.update("CRM-0095");
        runNow();
        // The CRM changed the e-mail without moving updated_at (a restore, a bulk fix): same id, other content.
        Contact changed = crm.put(new Contact(updated.id(), updated.givenName(), updated.familyName(),
                "corrected." + updated.email(), updated.phone(), updated.marketingOptIn(), updated.createdAt(),
                updated.updatedAt()));
        try {
            runNow();
            runNow();

            List<ConsumerRecord<String, byte[]>> versions = recordsOf("CRM-0095").stream()
                    .filter(r -> text(r).equals(updated.toJson()) || text(r).equals(changed.toJson())).toList();
            // Both kept, once each; the normalizer orders one version by receipt, so the change is what it stores.
            assertThat(versions).extracting(RawCrmTopic::text).containsExactly(updated.toJson(), changed.toJson());
            assertThat(header(versions.get(1), "ce_id")).isNotEqualTo(header(versions.get(0), "ce_id"));
            assertThat(Instant.parse(header(versions.get(1), "ce_receivedat")))
                    .isAfter(Instant.parse(header(versions.get(0), "ce_receivedat")));
            assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).containsPattern(
                    "levain_ingest_events_total\\{connector=\"crm\",outcome=\"accepted\",reason=\"correction\"} [1-9]");
        } finally {
            crm.update("CRM-0095");
        }
    }

    @Test
    void cursorIsPersistedAndAFreshSchedulerResumesFromIt() {
        Contact updated = crm.update("CRM-0050");
        runNow();

        Instant newest = crm.contacts().stream().map(Contact::updatedAt).max(Instant::compareTo).orElseThrow();
        assertThat(storedCursor()).isEqualTo(newest.toString());
        given().auth().oauth2("test-upload-token").get("/api/v1/ingest/pulls").then().statusCode(200)
                .body("find { it.job == 'crm-customers' }.cursor", equalTo(newest.toString()));

        // A scheduler with nothing in memory, as after a restart: only the stored cursor tells where to resume.
        PullScheduler restarted = replica("restarted");
        assertThat(restarted.statuses()).filteredOn(s -> s.job().equals(JOB))
                .extracting(PullStatus::cursor).containsExactly(newest.toString());
        Instant resumedAt = Instant.now();
        PullStatus status = whileScheduledPullsPause(() -> restarted.runNow(JOB));

        assertThat(status.healthy()).isTrue();
        assertThat(status.cursor()).isEqualTo(newest.toString());
        assertThat(status.lastResult().published()).isZero();
        assertThat(firstPagesSince(resumedAt)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.updatedSince()).isEqualTo(newest.minus(OVERLAP)));
        assertThat(recordsWithBytes("CRM-0050", updated.toJson())).hasSize(1);
    }

    /**
     * Two replicas (two schedulers with their own instance ids) running the pull at the same moment against
     * one CRM: one takes the lease and asks for each page once, the other skips that round.
     */
    @Test
    void twoReplicasPullingAtTheSameTimeFetchEachPageOnce() {
        Contact updated = crm.update("CRM-0090");
        List<PullScheduler> replicas = List.of(replica("ingest-a"), replica("ingest-b"));

        AtomicReference<Instant> started = new AtomicReference<>();
        List<PullStatus> statuses = whileScheduledPullsPause(() -> {
            started.set(Instant.now());
            // The first page takes half a second (within the 1 s timeout): the pulls overlap however the threads run.
            crm.slowNext(1, Duration.ofMillis(500));
            return runAtOnce(replicas);
        });
        Instant startedAt = started.get();

        List<ContactsRequest> requests = crm.requests().stream().filter(r -> !r.receivedAt().isBefore(startedAt)).toList();
        assertThat(requests).filteredOn(r -> r.pageToken() == null).hasSize(1);
        assertThat(requests).extracting(r -> r.updatedSince() + " " + r.pageToken()).doesNotHaveDuplicates();
        assertThat(statuses).filteredOn(s -> s.lastResult() != null && s.lastSuccessAt() != null
                && !s.lastSuccessAt().isBefore(startedAt)).hasSize(1);
        assertThat(recordsWithBytes("CRM-0090", updated.toJson())).hasSize(1);
    }

    @Test
    void withoutACursorThePullStartsInitialSinceBackAndFindsNothingNew() {
        runNow();
        String cursor = storedCursor();
        Instant forgottenAt = Instant.now();
        deleteCursor();

        JsonPath status = runNow();

        // The first pull after the cursor went (ours, or a scheduled one) reached 30 days back.
        assertThat(firstPagesSince(forgottenAt)).anySatisfy(r -> assertThat(r.updatedSince())
                .isBetween(forgottenAt.minus(Duration.ofDays(30)).minusSeconds(60),
                        Instant.now().minus(Duration.ofDays(30))));
        assertThat(status.getInt("consecutive_failures")).isZero();
        assertThat(storedCursor()).isEqualTo(cursor);
        Map<String, Long> perEventId = RawCrmTopic.all().stream()
                .collect(Collectors.groupingBy(r -> header(r, "ce_id"), Collectors.counting()));
        assertThat(perEventId.values()).containsOnly(1L);
    }

    @Test
    void crmAnswering500IsReportedAndThePullCatchesUpOnceItIsBack() {
        outageIsReportedThenCaughtUp(() -> crm.failNext(Integer.MAX_VALUE), "CRM-0060", "answered HTTP 500");
    }

    @Test
    void crmSlowerThanTheTimeoutIsReportedAndThePullCatchesUpOnceItIsBack() {
        outageIsReportedThenCaughtUp(() -> crm.slowNext(Integer.MAX_VALUE, Duration.ofSeconds(3)), "CRM-0061",
                "did not answer within PT1S");
    }

    @Test
    void crmAnsweringMalformedJsonIsReportedAndThePullCatchesUpOnceItIsBack() {
        outageIsReportedThenCaughtUp(() -> crm.malformedNext(Integer.MAX_VALUE), "CRM-0062", "malformed JSON");
    }

    @Test
    void contactThatCannotBeAnEventIsSkippedCountedAndTheCursorMovesPastIt() {
        runNow();
        Contact updated = crm.update("CRM-0080");
        // No id: it cannot be keyed, so it cannot be published; it is the newest contact the CRM serves.
        Contact nameless = crm.put(new Contact("", "Sans", "Nom", "sans.nom@example.com", "+33600000000", false,
                Instant.now().minus(Duration.ofDays(300)), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        try {
            JsonPath status = runNow();

            assertThat(status.getInt("consecutive_failures")).isZero();
            assertThat(status.getString("last_error")).isNull();
            assertThat(status.getInt("last_result.rejected")).isPositive();
            assertThat(recordsWithBytes("CRM-0080", updated.toJson())).hasSize(1);
            assertThat(RawCrmTopic.all()).noneMatch(r -> text(r).equals(nameless.toJson()));
            assertThat(storedCursor()).isEqualTo(nameless.updatedAt().toString());
            assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).containsPattern(
                    "levain_ingest_events_total\\{connector=\"crm\",outcome=\"rejected\",reason=\"invalid\"} [1-9]");
            given().auth().oauth2("test-upload-token").get("/api/v1/ingest/pulls").then().statusCode(200)
                    .body("find { it.job == 'crm-customers' }.last_result.rejected", greaterThan(0));
            given().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            crm.remove(nameless.id());
            leaveTheCursorOnARealContact("CRM-0082");
        }
    }

    @Test
    void contactDatedInTheFutureDoesNotMoveTheCursorPastThePull() {
        runNow();
        Contact future = crm.put(new Contact("CRM-TEST-FUTURE", "Futur", "Antérieur", "futur@example.com",
                "+33600000001", true, Instant.now().minus(Duration.ofDays(10)),
                Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS)));
        try {
            JsonPath status = runNow();
            assertThat(status.getInt("consecutive_failures")).isZero();
            assertThat(recordsWithBytes(future.id(), future.toJson())).hasSize(1);
            assertThat(Instant.parse(storedCursor())).isBeforeOrEqualTo(Instant.now());

            Contact later = crm.update("CRM-0081");
            runNow();

            assertThat(recordsWithBytes("CRM-0081", later.toJson())).hasSize(1);
        } finally {
            crm.remove(future.id());
            leaveTheCursorOnARealContact("CRM-0083");
        }
    }

    @Test
    void crmPageLargerThanTheResponseLimitFailsThePullNamingTheLimit() {
        runNow();
        // A 2 MiB name makes the page that holds it larger than the %test limit (1M).
        Contact huge = crm.put(new Contact("CRM-TEST-HUGE", "x".repeat(2 * 1024 * 1024), "Lourd", "lourd@example.com",
                "+33600000002", false, Instant.now().minus(Duration.ofDays(5)), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        try {
            JsonPath failed = runNow();

            assertThat(failed.getInt("consecutive_failures")).isPositive();
            assertThat(failed.getString("last_error"))
                    .contains("larger than the 1048576 bytes allowed (levain.ingest.max-upstream-response-size)");
            assertThat(Instant.parse(storedCursor())).isBeforeOrEqualTo(huge.updatedAt());
            assertThat(recordsOf(huge.id())).isEmpty();
        } finally {
            crm.remove(huge.id());
            leaveTheCursorOnARealContact("CRM-0085");
        }
    }

    @Test
    void crmApiRefusesRequestsWithoutTheToken() {
        given().baseUri(crm.baseUrl().toString()).get("/v1/contacts").then().statusCode(401);
        given().baseUri(crm.baseUrl().toString()).auth().oauth2("not-the-token").get("/v1/contacts")
                .then().statusCode(401);
        given().baseUri(crm.baseUrl().toString()).auth().oauth2(CrmSimulatorResource.API_TOKEN)
                .get("/v1/contacts?limit=2").then().statusCode(200).body("contacts.size()", equalTo(2));
    }

    private void outageIsReportedThenCaughtUp(Runnable fault, String contactId, String reason) {
        runNow();
        fault.run();
        Contact missed = crm.update(contactId);

        JsonPath failed = runNow();
        assertThat(failed.getInt("consecutive_failures")).isPositive();
        assertThat(failed.getString("last_error")).contains(reason);
        assertThat(Instant.parse(failed.getString("next_attempt_at")))
                .isAfter(Instant.parse(failed.getString("last_failure_at")));
        given().auth().oauth2("test-upload-token").get("/api/v1/ingest/pulls").then().statusCode(200)
                .body("find { it.job == 'crm-customers' }.consecutive_failures", greaterThan(0))
                .body("find { it.job == 'crm-customers' }.last_error", containsString(reason));
        given().get("/q/health/well").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Scheduled pulls' }.data.'crm-customers'", containsString(reason));
        given().get("/q/health").then().statusCode(503).body("status", equalTo("DOWN"));
        assertThat(Instant.parse(storedCursor())).isBefore(missed.updatedAt());
        assertThat(recordsWithBytes(contactId, missed.toJson())).isEmpty();

        crm.heal();
        JsonPath recovered = runNow();

        assertThat(recovered.getInt("consecutive_failures")).isZero();
        assertThat(recovered.getString("last_error")).isNull();
        assertThat(recordsWithBytes(contactId, missed.toJson())).hasSize(1);
        assertThat(storedCursor()).isEqualTo(missed.updatedAt().toString());
        given().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The cursor never goes back: a later real change brings it back to a contact the CRM still serves. */
    private void leaveTheCursorOnARealContact(String id) {
        crm.update(id);
        runNow();
    }

    /** A scheduler as another replica of ingest would run it: its own instance id, nothing in memory. */
    private PullScheduler replica(String instanceId) {
        return new PullScheduler(jobs, sources, cursors, leases, scheduler, config, instanceId);
    }

    /** Starts {@code runNow} on every replica at the same instant and waits for all of them. */
    private static List<PullStatus> runAtOnce(List<PullScheduler> replicas) {
        ExecutorService pods = Executors.newFixedThreadPool(replicas.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<PullStatus>> runs = replicas.stream().map(replica -> pods.submit(() -> {
                start.await();
                return replica.runNow(JOB);
            })).toList();
            start.countDown();
            return runs.stream().map(run -> {
                try {
                    return run.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        } finally {
            pods.shutdownNow();
        }
    }

    /**
     * Runs {@code action} while this application's own scheduled CRM pull is paused and its lease free, so the
     * only pulls are the ones the test makes.
     */
    private <T> T whileScheduledPullsPause(Supplier<T> action) {
        scheduler.pause("pull-" + JOB);
        try {
            await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(300)).until(() -> leaseHolder() == null);
            return action.get();
        } finally {
            scheduler.resume("pull-" + JOB);
        }
    }

    private String leaseHolder() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT holder FROM ingest.pull_lease WHERE job = ?")) {
            select.setString(1, JOB);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonPath runNow() {
        return given().auth().oauth2("test-upload-token").post("/api/v1/ingest/pulls/" + JOB + "/run").then().statusCode(200).extract().jsonPath();
    }

    private List<ContactsRequest> firstPagesSince(Instant from) {
        return crm.requests().stream()
                .filter(r -> r.pageToken() == null && !r.receivedAt().isBefore(from))
                .toList();
    }

    private String storedCursor() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT position FROM ingest.pull_cursor WHERE job = ?")) {
            select.setString(1, JOB);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void deleteCursor() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM ingest.pull_cursor WHERE job = ?")) {
            delete.setString(1, JOB);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
