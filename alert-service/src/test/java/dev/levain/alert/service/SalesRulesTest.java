package dev.levain.alert.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.alert.repository.Sql;
import dev.levain.alert.support.Database;
import dev.levain.alert.support.Fixtures;
import dev.levain.alert.support.OutsideWorld;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.alert.support.TestClock;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sales and customer rules from the figures the normalizer keeps to the Slack stand-in and GreenMail: each kind
 * fires once, is repeated after the repeat interval and resolves after the cooldown once its figure is back.
 * The scheduled evaluation runs every second on the test clock; tests move the clock and change the figures.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class SalesRulesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String FIRING = ":red_circle: FIRING";

    OutsideWorld world;

    @Inject
    ObservationService observations;

    @Inject
    TestClock clock;

    @Inject
    Database database;

    @BeforeEach
    void coreTables() {
        database.ensureCoreTables();
    }

    @Test
    void netSalesAboveALimitOverTheWindowFiresOnASaleRepeatsAndResolvesWhenTheWindowMovesOn() throws Exception {
        String store = Fixtures.store("HIGH");
        long storeId = store(store, "Europe/Paris", null);
        Instant now = clock.instant();
        long first = sale(storeId, now.minus(Duration.ofMinutes(30)), "in_store", "100.00", "completed");
        sale(storeId, now.minus(Duration.ofMinutes(20)), "in_store", "100.00", "completed");
        sale(storeId, now.minus(Duration.ofMinutes(15)), "in_store", "1000.00", "voided");
        sale(storeId, now.minus(Duration.ofMinutes(10)), "delivery", "100.00", "completed");
        refund(storeId, first, now.minus(Duration.ofMinutes(5)), "50.00");
        Fixtures.rule("""
                {"name": "Rush %s", "kind": "sales_threshold", "store_code": "%s", "metric": "net_sales",
                 "direction": "above", "threshold": 200, "window_minutes": 180}""".formatted(store, store));

        observations.observe(Fixtures.sale(store, clock.instant()));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1 && mails(store).size() == 1);
        // 3 × 100 completed, the voided 1000 left out, the 50 refunded taken off.
        assertThat(slack(store, FIRING).get(0).text()).contains("Sales beyond a limit at " + store,
                "net sales over the last 180 min: 250, limit 200", "rule \"Rush " + store + "\"");
        assertThat(mails(store).get(0).getSubject()).isEqualTo("[Levain] FIRING: Sales beyond a limit at " + store);

        clock.advance(Duration.ofMinutes(61));
        await().atMost(WAIT).until(() -> slack(store, "STILL FIRING").size() == 1);

        clock.advance(Duration.ofMinutes(120)); // the sales have left the 180-minute window
        await().atMost(WAIT).until(() -> state(store).equals("firing") && clearSince(store) > 0);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        await().atMost(WAIT).until(() -> slack(store, "RESOLVED").size() == 1);
        assertThat(slack(store, "RESOLVED").get(0).text()).contains("net sales over the last 180 min: 0, limit 200");
        await().atMost(WAIT).until(() -> mails(store).size() == 3);
        assertThat(slack(store, FIRING)).hasSize(1);
    }

    @Test
    void salesBelowALimitAreJudgedOnlyOnceTheStoreHasBeenOpenTheWholeWindow() {
        String store = Fixtures.store("LOW");
        long storeId = store(store, "Europe/Paris", ("{\"mon\": %1$s, \"tue\": %1$s, \"wed\": %1$s, \"thu\": %1$s, "
                + "\"fri\": %1$s, \"sat\": %1$s, \"sun\": %1$s}").formatted("[[\"08:00\", \"20:00\"]]"));
        clock.moveTo(next(LocalTime.of(8, 30), PARIS));
        Fixtures.rule("""
                {"name": "Quiet %s", "kind": "sales_threshold", "store_code": "%s", "metric": "transactions",
                 "direction": "below", "threshold": 1, "window_minutes": 60, "channels": ["slack"]}"""
                .formatted(store, store));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> database.count("SELECT count(*) FROM alerts.alert WHERE store_code = ?", store) == 0);

        clock.moveTo(next(LocalTime.of(9, 30), PARIS)); // open for 90 min, nothing sold in the last 60
        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("transactions over the last 60 min: 0, limit 1");

        clock.advance(Duration.ofMinutes(61));
        await().atMost(WAIT).until(() -> slack(store, "STILL FIRING").size() == 1);

        sale(storeId, clock.instant().minus(Duration.ofMinutes(2)), "in_store", "4.20", "completed");
        await().atMost(WAIT).until(() -> clearSince(store) > 0);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        await().atMost(WAIT).until(() -> slack(store, "RESOLVED").size() == 1);
        assertThat(slack(store, "RESOLVED").get(0).text()).contains("transactions over the last 60 min: 1, limit 1");
    }

    @Test
    void aDayFarBelowTheSameWeekdayOfTheLastFourWeeksFiresRepeatsAndResolvesWhenItsFigureIsCorrected() {
        String store = Fixtures.store("DAY");
        ZoneId newYork = ZoneId.of("America/New_York");
        long storeId = store(store, newYork.getId(), null);
        clock.moveTo(next(LocalTime.of(9, 0), newYork));
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), newYork).minusDays(1);
        daySales(storeId, yesterday, "in_store", "300.00", 10);
        for (int week = 1; week <= 4; week++) {
            daySales(storeId, yesterday.minusWeeks(week), "in_store", "800.00", 40);
            daySales(storeId, yesterday.minusWeeks(week), "delivery", "200.00", 8);
        }
        daySales(storeId, yesterday.minusDays(1), "in_store", "5000.00", 100); // another weekday: not the baseline
        Fixtures.rule("""
                {"name": "Odd day %s", "kind": "sales_unusual", "store_code": "%s", "metric": "net_sales", "period": "day",
                 "tolerance_pct": 30}""".formatted(store, store));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1 && mails(store).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("Unusual sales at " + store, "net sales on "
                + yesterday.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + yesterday
                + " against the same weekday of the last 4 weeks: 300, usual 1000 (−70.0%)");

        clock.advance(Duration.ofMinutes(61));
        await().atMost(WAIT).until(() -> slack(store, "STILL FIRING").size() == 1);

        daySales(storeId, yesterday, "delivery", "450.00", 12); // a late delivery export: 750, −25%, within 30%
        await().atMost(WAIT).until(() -> clearSince(store) > 0);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        await().atMost(WAIT).until(() -> slack(store, "RESOLVED").size() == 1 && mails(store).size() == 3);
        assertThat(slack(store, "RESOLVED").get(0).text()).contains(": 750, usual 1000 (−25.0%)");
    }

    @Test
    void aStoreYoungerThanTheBaselineIsHeldAgainstTheWeeksItHas() {
        String store = Fixtures.store("YOUNG");
        long storeId = store(store, "Europe/Paris", null);
        clock.moveTo(next(LocalTime.of(9, 0), PARIS));
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), PARIS).minusDays(1);
        daySales(storeId, yesterday.minusWeeks(1), "in_store", "1000.00", 40); // opened two weeks ago
        daySales(storeId, yesterday, "in_store", "1100.00", 44);
        Fixtures.rule("""
                {"name": "Odd day %s", "kind": "sales_unusual", "store_code": "%s", "metric": "net_sales", "period": "day",
                 "tolerance_pct": 50, "channels": ["slack"]}""".formatted(store, store));

        // Against 4 weeks with three of zeros, 1100 would be 4.4 × "usual"; against the week it has, +10%.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> database.count("SELECT count(*) FROM alerts.alert WHERE store_code = ?", store) == 0);
    }

    @Test
    void anHourOfDeliveriesAboveItsUsualLevelFiresForThatChannelOnly() {
        String store = Fixtures.store("HOUR");
        long storeId = store(store, "Europe/Paris", null);
        clock.moveTo(next(LocalTime.of(15, 10), PARIS));
        ZonedDateTime hour = clock.instant().atZone(PARIS).withHour(14).withMinute(0).withSecond(0).withNano(0);
        for (int i = 0; i < 6; i++) {
            sale(storeId, hour.plusMinutes(5 + i * 5).toInstant(), "delivery", "20.00", "completed");
        }
        for (int i = 0; i < 9; i++) {
            sale(storeId, hour.plusMinutes(3 + i * 5).toInstant(), "in_store", "5.00", "completed");
        }
        for (int week = 1; week <= 4; week++) {
            sale(storeId, hour.minusWeeks(week).plusMinutes(10).toInstant(), "delivery", "20.00", "completed");
            sale(storeId, hour.minusWeeks(week).plusMinutes(40).toInstant(), "delivery", "20.00", "completed");
            sale(storeId, hour.minusWeeks(week).plusMinutes(20).toInstant(), "in_store", "5.00", "completed");
            sale(storeId, hour.minusWeeks(week).plusMinutes(70).toInstant(), "delivery", "20.00", "completed");
        }
        rollUp(storeId);
        Fixtures.rule("""
                {"name": "Delivery rush %s", "kind": "sales_unusual", "store_code": "%s", "metric": "transactions",
                 "period": "hour", "direction": "above", "tolerance_pct": 100, "channel": "delivery",
                 "channels": ["slack"]}""".formatted(store, store));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("transactions (delivery) on "
                + hour.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + hour.toLocalDate()
                + ", 14:00–15:00 against the same hour and weekday of the last 4 weeks: 6, usual 2 (+200.0%)");
    }

    @Test
    void retentionFallingAgainstTheWeekBeforeFiresRepeatsAndResolvesWhenCustomersComeBack() {
        String store = Fixtures.store("RET");
        long storeId = store(store, "Europe/Paris", null);
        clock.moveTo(next(LocalTime.of(10, 0), PARIS));
        while (clock.instant().atZone(PARIS).getDayOfWeek() != DayOfWeek.WEDNESDAY) {
            clock.advance(Duration.ofDays(1));
        }
        LocalDate lastWeek = LocalDate.ofInstant(clock.instant(), PARIS)
                .with(TemporalAdjusters.previous(DayOfWeek.MONDAY)).minusWeeks(1);
        long base = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
        for (int customer = 0; customer < 4; customer++) {
            customerDay(storeId, lastWeek.minusWeeks(2).plusDays(customer), base + customer, 1);
            customerDay(storeId, lastWeek.minusWeeks(1).plusDays(customer), base + customer, 2);
        }
        customerDay(storeId, lastWeek.plusDays(6), base, 1); // one of four back: 25% after 100%
        customerDay(storeId, lastWeek.plusDays(3), base + 10, 1); // a newcomer does not count for retention
        Fixtures.rule("""
                {"name": "Retention %s", "kind": "customer_change", "store_code": "%s", "metric": "retention",
                 "period": "week", "drop_pct": 20}""".formatted(store, store));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1 && mails(store).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("Customers falling away at " + store,
                "retention rate (%), week of " + lastWeek + " against the week before: 25, 100 the period before "
                        + "(−75.0%)");

        clock.advance(Duration.ofMinutes(61));
        await().atMost(WAIT).until(() -> slack(store, "STILL FIRING").size() == 1);

        for (int customer = 1; customer < 4; customer++) {
            customerDay(storeId, lastWeek.plusDays(customer), base + customer, 1);
        }
        await().atMost(WAIT).until(() -> clearSince(store) > 0);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        await().atMost(WAIT).until(() -> slack(store, "RESOLVED").size() == 1 && mails(store).size() == 3);
        assertThat(slack(store, "RESOLVED").get(0).text()).contains(": 100, 100 the period before (0.0%)");
    }

    @Test
    void fewerNewCustomersThanTheMonthBeforeFiresAndARepeatRateHeldStaysQuiet() {
        String store = Fixtures.store("NEW");
        long storeId = store(store, "Europe/Paris", null);
        clock.moveTo(next(LocalTime.of(10, 0), PARIS));
        LocalDate lastMonth = LocalDate.ofInstant(clock.instant(), PARIS).withDayOfMonth(1).minusMonths(1);
        database.update("INSERT INTO core.daily_new_customers (store_id, business_date, customers) VALUES (?, ?, 6), "
                + "(?, ?, 4), (?, ?, 4)", storeId, lastMonth.minusMonths(1).plusDays(2), storeId,
                lastMonth.minusMonths(1).plusDays(20), storeId, lastMonth.plusDays(9));
        long base = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
        // Repeat rate: 1 of 2 customers came twice, in both months: 50% and 50%.
        customerDay(storeId, lastMonth.minusMonths(1).plusDays(3), base, 2);
        customerDay(storeId, lastMonth.minusMonths(1).plusDays(4), base + 1, 1);
        customerDay(storeId, lastMonth.plusDays(3), base + 2, 1);
        customerDay(storeId, lastMonth.plusDays(4), base + 3, 1);
        customerDay(storeId, lastMonth.plusDays(5), base + 3, 1);
        Fixtures.rule("""
                {"name": "Newcomers %s", "kind": "customer_change", "store_code": "%s", "metric": "new_customers",
                 "period": "month", "drop_pct": 25, "channels": ["slack"]}""".formatted(store, store));
        long repeat = Fixtures.rule("""
                {"name": "Regulars %s", "kind": "customer_change", "store_code": "%s", "metric": "repeat_rate",
                 "period": "month", "drop_pct": 10, "channels": ["slack"]}""".formatted(store, store));

        await().atMost(WAIT).until(() -> slack(store, FIRING).size() == 1);
        assertThat(slack(store, FIRING).get(0).text()).contains("Customers falling away at " + store,
                "new customers, " + lastMonth.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                        + lastMonth.getYear() + " against the month before: 4, 10 the period before (−60.0%)");
        assertThat(database.count("SELECT count(*) FROM alerts.alert WHERE rule_id = ?", repeat)).isZero();
    }

    private long store(String code, String zone, String openingHours) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        database.update("INSERT INTO core.store (id, code, name, timezone, currency, opening_hours) "
                + "VALUES (?, ?, ?, ?, 'EUR', ?::jsonb)", id, code, "PanPan " + code, zone,
                openingHours == null ? Sql.text(null) : openingHours);
        return id;
    }

    private long sale(long storeId, Instant at, String channel, String net, String status) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        String zone = database.strings("SELECT timezone FROM core.store WHERE id = ?", storeId).get(0);
        database.update("INSERT INTO core.sale (id, store_id, occurred_at, business_date, status, channel, gross, net) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?::numeric, ?::numeric)", id, storeId, at,
                LocalDate.ofInstant(at, ZoneId.of(zone)), status, channel, net, net);
        return id;
    }

    private void refund(long storeId, long saleId, Instant at, String amount) {
        database.update("INSERT INTO core.refund (id, sale_id, store_id, occurred_at, business_date, status, amount) "
                        + "VALUES (?, ?, ?, ?, ?, 'completed', ?::numeric)",
                ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE), saleId, storeId, at,
                LocalDate.ofInstant(at, PARIS), amount);
    }

    private void daySales(long storeId, LocalDate day, String channel, String net, int transactions) {
        database.update("INSERT INTO core.daily_store_sales (store_id, business_date, channel, gross, net, transactions) "
                + "VALUES (?, ?, ?, ?::numeric, ?::numeric, ?)", storeId, day, channel, net, net, transactions);
    }

    /** The store's daily rollup from its sales, as the normalizer keeps it. */
    private void rollUp(long storeId) {
        database.update("""
                INSERT INTO core.daily_store_sales (store_id, business_date, channel, gross, net, transactions)
                SELECT store_id, business_date, channel, sum(gross), sum(net), count(*) FROM core.sale
                WHERE store_id = ? AND status = 'completed' GROUP BY store_id, business_date, channel""", storeId);
    }

    private void customerDay(long storeId, LocalDate day, long customerId, int transactions) {
        database.update("INSERT INTO core.daily_customer_sales (store_id, business_date, customer_id, transactions, net) "
                + "VALUES (?, ?, ?, ?, 10)", storeId, day, customerId, transactions);
    }

    private String state(String store) {
        List<String> states = database.strings("SELECT state FROM alerts.alert WHERE store_code = ? ORDER BY id DESC",
                store);
        return states.isEmpty() ? "" : states.get(0);
    }

    private long clearSince(String store) {
        return database.count("SELECT count(*) FROM alerts.alert WHERE store_code = ? AND state = 'firing' "
                + "AND clear_since IS NOT NULL", store);
    }

    private List<SlackStandIn.Received> slack(String store, String text) {
        return world.slack().containing(store).stream()
                .filter(message -> message.status() == 200 && message.text().contains(text)).toList();
    }

    private List<MimeMessage> mails(String store) {
        return world.mailsAbout(store);
    }

    /** The next time after the test clock's now when it is {@code time} in {@code zone}. */
    private Instant next(LocalTime time, ZoneId zone) {
        ZonedDateTime now = clock.instant().atZone(zone);
        ZonedDateTime candidate = now.toLocalDate().atTime(time).atZone(zone);
        return (candidate.isAfter(now) ? candidate : candidate.plusDays(1)).toInstant();
    }
}
