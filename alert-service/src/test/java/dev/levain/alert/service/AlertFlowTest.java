package dev.levain.alert.service;

import static dev.levain.alert.support.Fixtures.admin;
import static dev.levain.alert.support.Fixtures.level;
import static dev.levain.alert.support.Fixtures.lowStockRule;
import static dev.levain.alert.support.Fixtures.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.AlertRepository;
import dev.levain.alert.repository.JobRepository;
import dev.levain.alert.repository.NotificationRepository;
import dev.levain.alert.repository.RuleRepository;
import dev.levain.alert.support.Database;
import dev.levain.alert.support.Fixtures;
import dev.levain.alert.support.OutsideWorld;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.alert.support.TestClock;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.devstack.test.SharedDevStack;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** Rules and the alert lifecycle, from an inventory or sales event to the Slack stand-in and GreenMail. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class AlertFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FIRING = ":red_circle: FIRING";
    private static final String REMINDER = "STILL FIRING";
    private static final String RESOLVED = "RESOLVED";

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    OutsideWorld world;

    @Inject
    ObservationService observations;

    @Inject
    TimedEvaluation timed;

    @Inject
    DigestService digest;

    @Inject
    TestClock clock;

    @Inject
    Database database;

    @Inject
    AlertRepository alerts;

    @Inject
    RuleRepository rules;

    @Inject
    NotificationRepository outbox;

    @Inject
    JobRepository jobs;

    @Inject
    AlertConfig config;

    @Test
    void inventoryEventOnKafkaFiresOnceOnSlackAndByEmail() throws Exception {
        String store = Fixtures.store("E2E");
        lowStockRule(store, 5, "[\"slack\", \"email\"]");

        Fixtures.publish(kafka, level(store, "CROISSANT", 10, 1));
        Fixtures.publish(kafka, level(store, "CROISSANT", 4, 2));
        Fixtures.publish(kafka, level(store, "CROISSANT", 3, 3));
        Fixtures.publish(kafka, level(store, "CROISSANT", 2, 4));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1 && mails(store).size() == 1);
        awaitProcessed(store, "CROISSANT", 4);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> slack(store, "FIRING").size() == 1 && mails(store).size() == 1);

        String text = slack(store, FIRING).get(0).text();
        assertThat(text).contains("Low stock at " + store, "Croissant CROISSANT (CROISSANT) at store " + store,
                "on hand 4, threshold 5", "<http://dashboard.test/|Open the Levain dashboard>");
        MimeMessage mail = mails(store).get(0);
        assertThat(mail.getSubject()).isEqualTo("[Levain] FIRING: Low stock at " + store);
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(OutsideWorld.MAIL_TO);
        assertThat(partTypes(mail)).anyMatch(type -> type.startsWith("text/plain"))
                .anyMatch(type -> type.startsWith("text/html"));
        assertThat(admin().get("/api/v1/alerts?store=" + store).then().statusCode(200).extract().jsonPath()
                .getList("items.state")).containsExactly("firing");
    }

    @Test
    void duplicateInventoryEventsMakeOneAlert() {
        String store = Fixtures.store("DUP");
        lowStockRule(store, 5, "[\"slack\"]");

        var ok = level(store, "BAGUETTE", 10, 1);
        var low = level(store, "BAGUETTE", 3, 2);
        Fixtures.publish(kafka, ok);
        for (int i = 0; i < 3; i++) {
            Fixtures.publish(kafka, low);
        }
        Fixtures.publish(kafka, ok); // a replay of the first event: same id
        Fixtures.publish(kafka, level(store, "BAGUETTE", 2, 3));

        awaitProcessed(store, "BAGUETTE", 3);
        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> slack(store, "FIRING").size() == 1);
        assertThat(database.count("SELECT count(*) FROM alerts.alert WHERE store_code = ?", store)).isEqualTo(1);
        assertThat(database.count("SELECT count(*) FROM alerts.observed_event WHERE event_id = ?", low.eventId()))
                .isEqualTo(1);
    }

    @Test
    void reminderAfterTheRepeatInterval() {
        String store = Fixtures.store("REM");
        lowStockRule(store, 5, "[\"slack\"]");
        observations.observe(observation(level(store, "FLAN", 2, 1)));
        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        assertThat(slack(store, REMINDER)).isEmpty();

        clock.advance(Duration.ofMinutes(61));

        await().atMost(WAIT).until(() -> slack(store, REMINDER).size() == 1);
        assertThat(slack(store, REMINDER).get(0).text()).contains("on hand 2, threshold 5");
        assertThat(slack(store, FIRING)).hasSize(1);
    }

    @Test
    void restockResolvesAfterTheCooldown() {
        String store = Fixtures.store("RES");
        lowStockRule(store, 5, "[\"slack\", \"email\"]");
        observations.observe(observation(level(store, "BRIOCHE", 1, 1)));
        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);

        observations.observe(observation(level(store, "BRIOCHE", 40, 2)));
        timed.evaluate();
        assertThat(slack(store, RESOLVED)).isEmpty();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        await().atMost(WAIT).until(() -> slack(store, RESOLVED).size() == 1 && mails(store).size() == 2);
        assertThat(slack(store, RESOLVED).get(0).text()).contains("RESOLVED: Low stock at " + store, "on hand 40");
        assertThat(admin().get("/api/v1/alerts?store=" + store).then().extract().jsonPath().getList("items.state"))
                .containsExactly("resolved");
    }

    @Test
    void flapping20TimesIn10MinutesIsOneFiringAndOneResolved() {
        String store = Fixtures.store("FLAP");
        lowStockRule(store, 5, "[\"slack\"]");
        for (int flip = 0; flip < 20; flip++) {
            observations.observe(observation(level(store, "ECLAIR", flip % 2 == 0 ? 4 : 6, flip + 1)));
            clock.advance(Duration.ofSeconds(30));
        }
        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);

        clock.advance(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> slack(store, RESOLVED).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> slack(store, "FIRING").size() == 1 && slack(store, RESOLVED).size() == 1);
    }

    @Test
    void severalProductsLowInOneStoreAreOneMessage() {
        String store = Fixtures.store("GRP");
        lowStockRule(store, 5, "[\"slack\"]");
        observations.observe(observation(level(store, "PAIN-CHOC", 1, 1)));
        observations.observe(observation(level(store, "CHAUSSON", 2, 1)));
        observations.observe(observation(level(store, "MACARON", 3, 1)));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        String text = slack(store, FIRING).get(0).text();
        assertThat(text).contains("Low stock at " + store + " (3 products)", "(PAIN-CHOC)", "(CHAUSSON)", "(MACARON)");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> slack(store, "FIRING").size() == 1);
    }

    @Test
    void silencedStoreChangesStateButSendsNothing() {
        String store = Fixtures.store("SIL");
        lowStockRule(store, 5, "[\"slack\"]");
        admin().body("{\"store_code\": \"%s\", \"until\": \"%s\", \"reason\": \"inventory count\"}"
                        .formatted(store, clock.instant().plus(Duration.ofHours(2))))
                .post("/api/v1/alerts/silences").then().statusCode(201);

        observations.observe(observation(level(store, "TARTE", 0, 1)));

        long alertId = admin().get("/api/v1/alerts?store=" + store).then().extract().jsonPath().getLong("items[0].id");
        assertThat(admin().get("/api/v1/alerts/" + alertId).then().statusCode(200).extract().jsonPath()
                .getList("events.silenced", Boolean.class)).containsExactly(true);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> slack(store, "").isEmpty());
    }

    @Test
    void storeSilentFiresOnlyDuringOpeningHoursInTheStoresTimeZone() {
        database.ensureCoreTables();
        String store = Fixtures.store("NYC");
        ZoneId newYork = ZoneId.of("America/New_York");
        database.update("INSERT INTO core.store (id, code, name, timezone, currency, opening_hours) "
                        + "VALUES (?, ?, 'PanPan NYC', 'America/New_York', 'USD', ?::jsonb)",
                ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE), store, everyDay("08:00", "20:00"));
        Fixtures.rule("""
                {"name": "Silent %s", "kind": "store_silent", "store_code": "%s", "silent_minutes": 30, "channels": ["slack"]}"""
                .formatted(store, store));

        // 02:00 in New York, closed (07:00 UTC: a store assumed on UTC would be open).
        clock.moveTo(next(LocalTime.of(2, 0), newYork));
        observations.observe(Fixtures.sale(store, clock.instant()));
        clock.advance(Duration.ofHours(3));
        timed.evaluate();
        assertThat(database.count("SELECT count(*) FROM alerts.alert WHERE store_code = ?", store)).isZero();

        clock.moveTo(next(LocalTime.of(8, 20), newYork)); // open for 20 minutes, no sale yet: not silent yet
        timed.evaluate();
        assertThat(database.count("SELECT count(*) FROM alerts.alert WHERE store_code = ?", store)).isZero();

        clock.moveTo(next(LocalTime.of(8, 45), newYork));
        timed.evaluate();
        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("Store silent at " + store,
                "no sale for 45 min while open, limit 30 min");
    }

    @Test
    void daysOfSupplyFiresBelowTheRuleFromTheDailySalesRate() {
        database.ensureCoreTables();
        String store = Fixtures.store("DOS");
        String sku = "SOURDOUGH-" + store;
        long storeId = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        long productId = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        database.update("INSERT INTO core.store (id, code, name, timezone, currency) VALUES (?, ?, 'PanPan', "
                + "'Europe/Paris', 'EUR')", storeId, store);
        database.update("INSERT INTO core.product (id, sku, name, reorder_point) VALUES (?, ?, 'Sourdough', 2)",
                productId, sku);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/Paris"));
        for (int day = 1; day <= 7; day++) {
            database.update("INSERT INTO core.daily_product_sales (store_id, business_date, product_id, qty, gross, net, "
                    + "cogs) VALUES (?, ?, ?, 7, 35, 35, 10)", storeId, today.minusDays(day), productId);
        }
        Fixtures.rule("""
                {"name": "Perishables %s", "kind": "days_of_supply", "store_code": "%s", "min_days": 3, "channels": ["slack"]}"""
                .formatted(store, store));

        observations.observe(observation(level(store, sku, 28, 1))); // 4 days: fine
        observations.observe(observation(level(store, sku, 14, 2))); // 2 days: below 3

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("Few days of supply at " + store,
                "2 days of supply, alert below 3");
    }

    @Test
    void deadLettersAboveTheLimitFireAPipelineAlert() {
        database.ensureCoreTables();
        String marker = Fixtures.store("PIPE");
        long ruleId = Fixtures.rule("""
                {"name": "%s", "kind": "pipeline_health", "max_dead_letters": 2, "channels": ["slack"]}""".formatted(marker));
        for (int i = 0; i < 3; i++) {
            database.update("INSERT INTO core.rejected_event (topic, kafka_partition, kafka_offset, reason, payload, "
                            + "headers, rejected_at) VALUES (?, 0, ?, 'test', '\\x00'::bytea, '{}'::jsonb, ?)",
                    "levain.raw.pos", ThreadLocalRandom.current().nextLong(0, Long.MAX_VALUE), clock.instant());
        }

        timed.evaluate();

        await().atMost(WAIT).until(() -> slack(marker, FIRING).size() == 1);
        assertThat(slack(marker, FIRING).get(0).text()).contains("Pipeline health", "dead letters");
        admin().delete("/api/v1/alerts/rules/" + ruleId).then().statusCode(200);
    }

    @Test
    void consumerLagOfTheNormalizerAboveTheLimitFiresAPipelineAlert() {
        String marker = Fixtures.store("LAG");
        for (int i = 0; i < 3; i++) {
            kafka.sendCloudEvent(Topics.RAW_POS, marker + "/" + i, "{}".getBytes(StandardCharsets.UTF_8),
                    marker + "-" + i, EventTypes.RAW_POS_SALE, "levain/pos-native/" + marker);
        }
        commitAtStart("normalize-service", Topics.RAW_POS); // the normalizer has read nothing yet
        long ruleId = Fixtures.rule("""
                {"name": "%s", "kind": "pipeline_health", "max_lag": 2, "channels": ["slack"]}""".formatted(marker));

        timed.evaluate();

        await().atMost(WAIT).until(() -> slack(marker, FIRING).size() == 1);
        assertThat(slack(marker, FIRING).get(0).text()).contains("Pipeline health", "consumer lag");
        admin().delete("/api/v1/alerts/rules/" + ruleId).then().statusCode(200);
    }

    @Test
    void dailyDigestListsOpenAlerts() throws Exception {
        String store = Fixtures.store("DIG");
        lowStockRule(store, 5, "[\"slack\"]");
        observations.observe(observation(level(store, "CANELE", 1, 1)));
        clock.advance(Duration.ofDays(1)); // a day no digest was sent yet: one digest a day

        assertThat(digest.queueDigest()).isTrue();

        await().atMost(WAIT).until(() -> world.mailsAbout("[Levain] Daily digest").stream()
                .anyMatch(mail -> OutsideWorld.body(mail).contains("(CANELE) at store " + store)));
    }

    /**
     * Two replicas' digest jobs fire at the same time of the same day (two instances of the service,
     * each with its own process token): the owner receives one digest email, not two.
     */
    @Test
    void digestOfTwoReplicasOnOneDayIsMailedOnce() {
        String store = Fixtures.store("DIG2");
        lowStockRule(store, 5, "[\"slack\"]");
        observations.observe(observation(level(store, "PARIS-BREST", 1, 1)));
        clock.advance(Duration.ofDays(1)); // a day no digest was sent yet
        DigestService replicaA = digestReplica();
        DigestService replicaB = digestReplica();

        // Each in its own transaction, as the @Transactional of the service bean runs it.
        boolean queuedByA = QuarkusTransaction.requiringNew().call(replicaA::queueDigest);
        boolean queuedByB = QuarkusTransaction.requiringNew().call(replicaB::queueDigest);

        assertThat(List.of(queuedByA, queuedByB)).containsExactlyInAnyOrder(true, false);
        await().atMost(WAIT).until(() -> digestsListing(store).size() == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> digestsListing(store).size() == 1);
    }

    /** Another replica's digest job: its own instance of the service over the same database. */
    private DigestService digestReplica() {
        return new DigestService(alerts, rules, outbox, jobs, config, clock);
    }

    private List<MimeMessage> digestsListing(String store) {
        return world.mailsAbout("[Levain] Daily digest").stream()
                .filter(mail -> OutsideWorld.body(mail).contains("at store " + store)).toList();
    }

    private List<SlackStandIn.Received> slack(String store, String text) {
        return world.slack().containing(store).stream()
                .filter(message -> message.status() == 200 && message.text().contains(text)).toList();
    }

    private List<MimeMessage> mails(String store) {
        return world.mailsAbout(store);
    }

    private void awaitProcessed(String store, String sku, long version) {
        await().atMost(WAIT).until(() -> database.count(
                "SELECT count(*) FROM alerts.stock_level WHERE store_code = ? AND sku = ? AND version >= ?",
                store, sku, version) == 1);
    }

    private static List<String> partTypes(MimeMessage mail) throws Exception {
        MimeMultipart content = (MimeMultipart) mail.getContent();
        return flatten(content);
    }

    private static List<String> flatten(MimeMultipart multipart) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        for (int i = 0; i < multipart.getCount(); i++) {
            var part = multipart.getBodyPart(i);
            if (part.getContent() instanceof MimeMultipart nested) {
                types.addAll(flatten(nested));
            } else {
                types.add(part.getContentType().toLowerCase());
            }
        }
        return types;
    }

    private static String everyDay(String open, String close) {
        String day = "[[\"" + open + "\", \"" + close + "\"]]";
        return "{\"mon\": %1$s, \"tue\": %1$s, \"wed\": %1$s, \"thu\": %1$s, \"fri\": %1$s, \"sat\": %1$s, \"sun\": %1$s}"
                .formatted(day);
    }

    private static void commitAtStart(String group, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedDevStack.config().get("kafka.bootstrap.servers"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            consumer.partitionsFor(topic).forEach(info -> start.put(new TopicPartition(topic, info.partition()),
                    new OffsetAndMetadata(0)));
            consumer.commitSync(start);
        }
    }

    /** The next time after the test clock's now when it is {@code time} in {@code zone}. */
    private Instant next(LocalTime time, ZoneId zone) {
        ZonedDateTime now = clock.instant().atZone(zone);
        ZonedDateTime candidate = now.toLocalDate().atTime(time).atZone(zone);
        return (candidate.isAfter(now) ? candidate : candidate.plusDays(1)).toInstant();
    }
}
