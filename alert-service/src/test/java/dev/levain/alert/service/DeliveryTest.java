package dev.levain.alert.service;

import static dev.levain.alert.support.Fixtures.admin;
import static dev.levain.alert.support.Fixtures.level;
import static dev.levain.alert.support.Fixtures.lowStockRule;
import static dev.levain.alert.support.Fixtures.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.messaging.DeliveryResult;
import dev.levain.alert.messaging.EmailMessage;
import dev.levain.alert.messaging.EmailSender;
import dev.levain.alert.messaging.SlackPacer;
import dev.levain.alert.messaging.SlackWebhookClient;
import dev.levain.alert.repository.NotificationRepository;
import dev.levain.alert.repository.SlackPaceRepository;
import dev.levain.alert.support.Database;
import dev.levain.alert.support.Fixtures;
import dev.levain.alert.support.OutsideWorld;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.alert.support.TestClock;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import dev.levain.devstack.test.DevStackTestResource;
import org.eclipse.microprofile.config.Config;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox dispatcher against a misbehaving Slack and SMTP server: nothing lost, little duplicated. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class DeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** Slack's own clock granularity; the pace itself counts from the end of the previous post. */
    private static final Duration TOLERANCE = Duration.ofMillis(100);

    OutsideWorld world;

    @Inject
    ObservationService observations;

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Inject
    TestClock clock;

    @Inject
    Database database;

    @Inject
    NotificationRepository outbox;

    @Inject
    SlackWebhookClient slack;

    @Inject
    EmailSender smtp;

    @Inject
    Config settings;

    @Inject
    AlertConfig config;

    @Inject
    SlackPaceRepository paces;

    @Inject
    AlertMetrics metrics;

    @AfterEach
    void outsideWorldBackToNormal() {
        world.slack().up();
        scheduler.resume(OutboxDispatcher.SLACK_JOB);
        scheduler.resume(OutboxDispatcher.EMAIL_JOB);
    }

    @Test
    void slackRateLimitWaitsForRetryAfterAndDeliversOnce() {
        String store = Fixtures.store("429");
        lowStockRule(store, 5, "[\"slack\"]");
        world.slack().rateLimitNext(1, 2);

        observations.observe(observation(level(store, "MADELEINE", 1, 1)));

        await().atMost(WAIT).until(() -> delivered(store).size() == 1);
        List<SlackStandIn.Received> tries = world.slack().containing(store);
        assertThat(tries).extracting(SlackStandIn.Received::status).containsExactly(429, 200);
        assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> world.slack().containing(store).size() == 2);
    }

    @Test
    void slackDownForAWhileDeliversEverythingAfterRecovery() {
        List<String> stores = List.of(Fixtures.store("DOWN"), Fixtures.store("DOWN"), Fixtures.store("DOWN"));
        world.slack().down(503);
        for (String store : stores) {
            lowStockRule(store, 5, "[\"slack\"]");
            observations.observe(observation(level(store, "KOUIGN", 0, 1)));
        }
        await().atMost(WAIT).until(() -> stores.stream().allMatch(store -> world.slack().containing(store).size() >= 2));
        assertThat(stores).allMatch(store -> delivered(store).isEmpty());

        world.slack().up();

        await().atMost(WAIT).until(() -> stores.stream().allMatch(store -> delivered(store).size() == 1));
        for (String store : stores) {
            long alertId = alertId(store);
            assertThat(admin().get("/api/v1/alerts/notifications?channel=slack&alert_id=" + alertId).then()
                    .statusCode(200).extract().jsonPath().getList("items.status")).containsExactly("sent");
        }
    }

    @Test
    void smtpDownIsRetriedUntilTheMailIsAccepted() {
        String store = Fixtures.store("SMTP");
        lowStockRule(store, 5, "[\"email\"]");
        world.smtpDown();
        try {
            observations.observe(observation(level(store, "FINANCIER", 2, 1)));
            long alertId = alertId(store);
            await().atMost(WAIT).until(() -> retries(alertId) >= 2);
        } finally {
            world.smtpUp();
        }

        await().atMost(WAIT).until(() -> !world.mailsAbout(store).isEmpty());
        long notificationId = admin().get("/api/v1/alerts/notifications?channel=email&alert_id=" + alertId(store))
                .then().extract().jsonPath().getLong("items[0].id");
        await().atMost(WAIT).until(() -> "sent".equals(admin().get("/api/v1/alerts/notifications/" + notificationId)
                .then().extract().jsonPath().getString("notification.status")));
        List<String> outcomes = admin().get("/api/v1/alerts/notifications/" + notificationId).then().extract()
                .jsonPath().getList("attempts.outcome");
        assertThat(outcomes).last().isEqualTo("sent");
        assertThat(outcomes.subList(0, outcomes.size() - 1)).isNotEmpty().containsOnly("retry");
    }

    @Test
    void crashBetweenSlackAcceptAndMarkingSentSendsAtMostOneDuplicate() {
        String store = Fixtures.store("CRASH");
        lowStockRule(store, 5, "[\"slack\"]");
        scheduler.pause(OutboxDispatcher.SLACK_JOB);
        observations.observe(observation(level(store, "PALMIER", 1, 1)));
        clock.advance(Duration.ofSeconds(2)); // past the group wait

        List<Notification> claimed = dispatcher.claim(List.of(Notification.SLACK), 50).stream()
                .filter(notification -> store.equals(notification.storeCode())).toList();
        assertThat(claimed).hasSize(1);
        DeliveryResult accepted = dispatcher.send(claimed.get(0));
        assertThat(accepted.accepted()).isTrue();
        // The instance dies here: Slack has the message, the outbox does not know.

        scheduler.resume(OutboxDispatcher.SLACK_JOB);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> delivered(store).size() == 1);
        clock.advance(Duration.ofSeconds(31)); // the lease runs out

        await().atMost(WAIT).until(() -> delivered(store).size() == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> delivered(store).size() == 2);
        assertThat(delivered(store).get(1).body()).isEqualTo(delivered(store).get(0).body());
        assertThat(database.strings("SELECT status FROM alerts.notification WHERE id = ?", claimed.get(0).id()))
                .containsExactly("sent");
    }

    /**
     * Replica A starts a batch of three emails and its SMTP server stalls on the first; the lease (30 s
     * in tests) runs out and replica B delivers what is due. The message A was holding goes out twice
     * (A's late send and B's: the at-most-one duplicate of a lost lease); the two after it, once each.
     */
    @Test
    void slowSmtpDoesNotLetAnotherReplicaSendTheRestOfTheBatchAgain() throws Exception {
        scheduler.pause(OutboxDispatcher.EMAIL_JOB);
        List<String> stores = List.of(Fixtures.store("SLOW"), Fixtures.store("SLOW"), Fixtures.store("SLOW"));
        for (String store : stores) {
            lowStockRule(store, 5, "[\"email\"]");
            observations.observe(observation(level(store, "BRIOCHE", 1, 1)));
        }
        dueBeforeAnythingElse(stores);
        StallingSmtp stallingSmtp = new StallingSmtp(settings, config);
        OutboxDispatcher replicaA = replica(stallingSmtp);
        OutboxDispatcher replicaB = replica(smtp);

        CompletableFuture<Integer> batchOfA = CompletableFuture.supplyAsync(replicaA::dispatchEmails);
        try {
            assertThat(stallingSmtp.stalled.await(30, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(31)); // A's lease runs out while its SMTP server hangs
            replicaB.dispatchEmails();
        } finally {
            stallingSmtp.release.countDown();
        }
        batchOfA.get(30, TimeUnit.SECONDS);

        // The service's own dispatcher may have been mid-run when its job was paused: it is a third replica
        // here, so which message A stalled on is read from A's server rather than assumed to be the first.
        String stalledStore = stores.stream().filter(stallingSmtp.stalledOn::contains).findFirst().orElseThrow();
        for (String store : stores) {
            assertThat(world.mailsAbout(store)).as("mails about %s", store).hasSize(store.equals(stalledStore) ? 2 : 1);
        }
        for (String store : stores) {
            assertThat(database.strings("SELECT status FROM alerts.notification WHERE store_code = ? AND channel = 'email'",
                    store)).containsExactly("sent");
        }
    }

    /**
     * Replica A claimed an email and stalled past its lease; replica B took the message over. A's late
     * "accepted" must not mark it sent: B still holds it, and B's own delivery decides.
     */
    @Test
    void formerHolderCannotMarkSentANotificationAnotherReplicaTookOver() {
        scheduler.pause(OutboxDispatcher.EMAIL_JOB);
        String store = Fixtures.store("LEASE");
        lowStockRule(store, 5, "[\"email\"]");
        observations.observe(observation(level(store, "CANELE", 1, 1)));
        dueBeforeAnythingElse(List.of(store));
        OutboxDispatcher replicaA = replica(smtp);
        OutboxDispatcher replicaB = replica(smtp);

        Notification heldByA = replicaA.claim(List.of(Notification.EMAIL), 1).get(0);
        assertThat(heldByA.storeCode()).isEqualTo(store);
        clock.advance(Duration.ofSeconds(31)); // A's lease runs out
        Notification takenByB = replicaB.claim(List.of(Notification.EMAIL), 1).get(0);
        assertThat(takenByB.id()).isEqualTo(heldByA.id());

        DeliveryResult lateSend = replicaA.send(heldByA); // A's stalled send finally gets through
        assertThat(lateSend.accepted()).as("A's late send: %s", lateSend.detail()).isTrue();
        replicaA.record(heldByA, lateSend);
        assertThat(notificationStatus(heldByA.id())).isEqualTo("pending");

        DeliveryResult sendOfB = replicaB.send(takenByB);
        assertThat(sendOfB.accepted()).as("B's send: %s", sendOfB.detail()).isTrue();
        replicaB.record(takenByB, sendOfB);
        assertThat(notificationStatus(heldByA.id())).isEqualTo("sent");
        // A's late one and B's: one duplicate, no more.
        await().atMost(WAIT).until(() -> world.mailsAbout(store).size() >= 2);
        assertThat(world.mailsAbout(store)).hasSize(2);
        assertThat(database.strings("SELECT outcome FROM alerts.notification_attempt WHERE notification_id = ? "
                + "ORDER BY id", heldByA.id())).containsExactly("sent", "sent");
    }

    /**
     * Two replicas, each with its own dispatcher and pacer, share one webhook and send four messages
     * together: Slack receives them at least a second apart (one replica's pace), not two a second.
     */
    @Test
    void twoReplicasSharingAWebhookPostAtMostOneMessageASecondBetweenThem() throws Exception {
        scheduler.pause(OutboxDispatcher.SLACK_JOB);
        List<String> stores = slackAlerts("PACE", 4);
        onlyTheseSlackMessagesDue(stores);
        OutboxDispatcher replicaA = slackReplica();
        OutboxDispatcher replicaB = slackReplica();

        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Integer> sentByA = CompletableFuture.supplyAsync(replicaA::dispatchSlack, replicas);
            CompletableFuture<Integer> sentByB = CompletableFuture.supplyAsync(replicaB::dispatchSlack, replicas);
            sentByA.get(30, TimeUnit.SECONDS);
            sentByB.get(30, TimeUnit.SECONDS);
        } finally {
            replicas.shutdownNow();
        }

        assertThat(stores).allMatch(store -> delivered(store).size() == 1);
        List<Instant> arrivals = stores.stream().map(store -> delivered(store).get(0).at()).sorted().toList();
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(Duration.between(arrivals.get(i - 1), arrivals.get(i)))
                    .as("gap between Slack messages %d and %d", i, i + 1).isGreaterThanOrEqualTo(ONE_SECOND.minus(TOLERANCE));
        }
    }

    /**
     * Slack answers replica A with 429 and {@code Retry-After: 2}; replica B, which never saw that
     * answer, sends nothing to the webhook before the two seconds are over.
     */
    @Test
    void retryAfterSeenByOneReplicaHoldsTheOtherToo() {
        scheduler.pause(OutboxDispatcher.SLACK_JOB);
        List<String> stores = slackAlerts("HOLD", 2);
        onlyTheseSlackMessagesDue(stores);
        OutboxDispatcher replicaA = slackReplica();
        OutboxDispatcher replicaB = slackReplica();
        world.slack().rateLimitNext(1, 2);

        replicaA.dispatchSlack();
        List<SlackStandIn.Received> toA = world.slack().containing(stores.get(0));
        assertThat(toA).extracting(SlackStandIn.Received::status).containsExactly(429);

        await().atMost(WAIT).until(() -> {
            replicaB.dispatchSlack();
            return delivered(stores.get(1)).size() == 1;
        });
        assertThat(Duration.between(toA.get(0).at(), delivered(stores.get(1)).get(0).at()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2).minus(TOLERANCE));
    }

    /** Another replica: its own dispatcher (and claim token) over the same outbox. */
    private OutboxDispatcher replica(EmailSender email) {
        return new OutboxDispatcher(outbox, slack, new SlackPacer(paces, config), email, config, clock, metrics);
    }

    /** Another replica posting to the same webhook, paced at one message a second (Slack's limit). */
    private OutboxDispatcher slackReplica() {
        return new OutboxDispatcher(outbox, slack, new SlackPacer(paces, config.slack().webhookUrl(), ONE_SECOND,
                config.slack().timeout().multipliedBy(2)), smtp, config, clock, metrics);
    }

    /** One Slack alert in each of {@code count} new stores, queued in the outbox. */
    private List<String> slackAlerts(String prefix, int count) {
        List<String> stores = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String store = Fixtures.store(prefix);
            lowStockRule(store, 5, "[\"slack\"]");
            observations.observe(observation(level(store, "SABLE", 1, 1)));
            stores.add(store);
        }
        return stores;
    }

    /**
     * Makes these stores' Slack messages due, in this order, and puts off for an hour any other Slack
     * message due soon (left by earlier tests), so that the replicas under test send exactly these.
     */
    private void onlyTheseSlackMessagesDue(List<String> stores) {
        String[] codes = stores.toArray(String[]::new);
        database.update("UPDATE alerts.notification SET next_attempt_at = ? WHERE status = 'pending' "
                + "AND channel = 'slack' AND next_attempt_at <= ? AND (store_code IS NULL OR NOT store_code = ANY (?))",
                clock.instant().plus(Duration.ofHours(1)), clock.instant().plus(Duration.ofMinutes(5)), codes);
        database.update("UPDATE alerts.notification SET next_attempt_at = timestamptz '2000-01-01 00:00:00Z' "
                + "+ array_position(?, store_code) * interval '1 second' WHERE status = 'pending' AND channel = 'slack' "
                + "AND store_code = ANY (?)", codes, codes);
    }

    /** Puts these stores' messages at the head of the outbox, ahead of anything earlier tests left pending. */
    private void dueBeforeAnythingElse(List<String> stores) {
        // Ties on the due time are claimed in id order: the order these messages were queued.
        database.update("UPDATE alerts.notification SET next_attempt_at = timestamptz '2000-01-01 00:00:00Z' "
                + "WHERE status = 'pending' AND store_code = ANY (?)", (Object) stores.toArray(String[]::new));
    }

    private String notificationStatus(long id) {
        return admin().get("/api/v1/alerts/notifications/" + id).then().statusCode(200).extract().jsonPath()
                .getString("notification.status");
    }

    /** Real SMTP (GreenMail) behind a server that hangs on the first message until released. */
    private static final class StallingSmtp extends EmailSender {

        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String stalledOn = "";
        private final AtomicBoolean first = new AtomicBoolean(true);

        StallingSmtp(Config settings, AlertConfig config) {
            super(settings, config);
        }

        @Override
        public DeliveryResult send(EmailMessage message) {
            if (first.compareAndSet(true, false)) {
                stalledOn = message.subject();
                stalled.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.send(message);
        }
    }

    private List<SlackStandIn.Received> delivered(String store) {
        return world.slack().containing(store).stream().filter(message -> message.status() == 200).toList();
    }

    private long alertId(String store) {
        return admin().get("/api/v1/alerts?store=" + store).then().statusCode(200).extract().jsonPath()
                .getLong("items[0].id");
    }

    private long retries(long alertId) {
        return database.count("SELECT count(*) FROM alerts.notification_attempt a JOIN alerts.notification n "
                + "ON n.id = a.notification_id WHERE a.outcome = 'retry' AND n.items @> "
                + "jsonb_build_array(jsonb_build_object('alert_id', ?::bigint))", alertId);
    }
}

