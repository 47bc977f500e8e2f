package dev.levain.devstack.bench;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The endpoints {@link ApiBenchmark} calls, each with its request for a drawn window and, as its
 * baseline, the SQL a plain implementation over the rollups would run for it (the API's own
 * queries may differ; these say what the database alone costs for the same answer).
 */
final class KpiProbes {

    /** What varies from one request to the next: the window's last day, a store, a variant of the call. */
    record Draw(LocalDate to, int store, int variant) {

        LocalDate days(int count) {
            return to.minusDays(count - 1L);
        }

        LocalDate months(int count) {
            return to.withDayOfMonth(1).minusMonths(count - 1L);
        }

        String storeCode() {
            return KpiDataSet.STORES.get(store).code();
        }

        String storeIds() {
            return "{" + KpiDataSet.STORES.get(store).id() + "}";
        }
    }

    /** One statement and its parameters for a draw. */
    record Query(String sql, Function<Draw, Object[]> parameters) {
    }

    /** An endpoint: {@code kpi} ones count for the p95 target, the others are baselines. */
    record Probe(String name, boolean kpi, Function<Draw, String> path, List<Query> sql) {
    }

    static final String ALL_STORES = "{1,2,3}";

    // api-service's SalesRollupRepository as of this benchmark: sales per store, bucket and channel, and
    // distinct customers, over the store-zone rollups for one period (the sales report reads three).
    private static final String ROLLUP_SALES = """
            SELECT store_id, date_trunc(?, business_date)::date AS bucket, channel, sum(gross), sum(discount), sum(refunds),
                   sum(net), sum(tax), sum(cogs), sum(transactions), sum(anonymous_transactions)
            FROM (SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,
                         anonymous_transactions
                  FROM core.daily_store_sales WHERE store_id = ANY (?::bigint[]) AND business_date BETWEEN ? AND ?) days
            WHERE ?::text IS NULL OR channel = ?
            GROUP BY 1, 2, 3""";
    private static final String ROLLUP_CUSTOMERS = """
            SELECT store_id, bucket, count(DISTINCT customer_id) FROM (
                SELECT store_id, date_trunc(?, business_date)::date AS bucket, customer_id FROM core.daily_customer_sales
                WHERE store_id = ANY (?::bigint[]) AND business_date BETWEEN ? AND ? AND transactions > 0) d
            GROUP BY GROUPING SETS ((store_id, bucket), (bucket), (store_id), ())""";
    // The same when the query names a time zone: from the sales and refunds themselves, by their instant.
    private static final String ZONE_SALES = """
            SELECT store_id, date_trunc(?, business_date)::date AS bucket, channel, sum(gross), sum(discount), sum(refunds),
                   sum(net), sum(tax), sum(cogs), sum(transactions), sum(anonymous_transactions)
            FROM (SELECT * FROM (
                    SELECT s.store_id, (s.occurred_at AT TIME ZONE ?)::date AS business_date, s.channel, s.gross, s.discount,
                           0::numeric AS refunds, s.net, s.tax,
                           coalesce((SELECT sum(round(l.qty * l.unit_cost, 2)) FROM core.sale_line l WHERE l.sale_id = s.id), 0)
                               AS cogs,
                           1 AS transactions, CASE WHEN s.customer_id IS NULL THEN 1 ELSE 0 END AS anonymous_transactions
                    FROM core.sale s
                    WHERE s.status = 'completed' AND s.store_id = ANY (?::bigint[]) AND s.occurred_at >= ? AND s.occurred_at < ?
                    UNION ALL
                    SELECT r.store_id, (r.occurred_at AT TIME ZONE ?)::date, s.channel, 0, 0, r.amount, -r.amount, 0, 0, 0, 0
                    FROM core.refund r JOIN core.sale s ON s.id = r.sale_id
                    WHERE r.status = 'completed' AND r.store_id = ANY (?::bigint[]) AND r.occurred_at >= ? AND r.occurred_at < ?
                  ) zone_days WHERE business_date BETWEEN ? AND ?) days
            GROUP BY 1, 2, 3""";
    private static final String ZONE_CUSTOMERS = """
            SELECT store_id, bucket, count(DISTINCT customer_id) FROM (
                SELECT store_id, date_trunc(?, business_date)::date AS bucket, customer_id FROM (
                    SELECT store_id, (occurred_at AT TIME ZONE ?)::date AS business_date, customer_id FROM core.sale
                    WHERE status = 'completed' AND customer_id IS NOT NULL AND store_id = ANY (?::bigint[])
                      AND occurred_at >= ? AND occurred_at < ?
                ) zone_customers WHERE business_date BETWEEN ? AND ?) d
            GROUP BY GROUPING SETS ((store_id, bucket), (bucket), (store_id), ())""";
    private static final String TOP_PRODUCTS = """
            SELECT p.sku, p.name, p.category, sum(d.qty), sum(d.net), sum(d.cogs)
            FROM core.daily_product_sales d JOIN core.product p ON p.id = d.product_id
            WHERE d.business_date BETWEEN ? AND ? AND d.store_id = ANY (?::bigint[])
            GROUP BY p.id, p.sku, p.name, p.category
            ORDER BY CASE WHEN ? THEN sum(d.qty) ELSE sum(d.net) END DESC, p.sku LIMIT 10""";
    // Active, repeat and retained customers per month, the month before the first included.
    private static final String CUSTOMERS = """
            WITH active AS (
                SELECT date_trunc('month', business_date)::date AS period, customer_id, sum(transactions) AS transactions
                FROM core.daily_customer_sales
                WHERE business_date BETWEEN ? AND ? AND store_id = ANY (?::bigint[]) AND transactions > 0
                GROUP BY 1, 2)
            SELECT cur.period, count(*) AS active, count(*) FILTER (WHERE cur.transactions >= 2) AS repeat_customers,
                   count(prev.customer_id) AS retained,
                   (SELECT count(*) FROM active b WHERE b.period = (cur.period - interval '1 month')::date) AS active_before
            FROM active cur
            LEFT JOIN active prev ON prev.customer_id = cur.customer_id AND prev.period = (cur.period - interval '1 month')::date
            WHERE cur.period >= ?
            GROUP BY cur.period ORDER BY cur.period""";
    private static final String NEW_CUSTOMERS = """
            SELECT date_trunc('month', first_business_date)::date, count(*) FROM core.customer
            WHERE first_business_date BETWEEN ? AND ? AND first_store_id = ANY (?::bigint[]) AND merged_into IS NULL
            GROUP BY 1 ORDER BY 1""";
    private static final String COHORTS = """
            SELECT date_trunc('month', c.first_business_date)::date AS cohort, date_trunc('month', d.business_date)::date,
                   count(DISTINCT d.customer_id)
            FROM core.daily_customer_sales d JOIN core.customer c ON c.id = d.customer_id
            WHERE d.business_date BETWEEN ? AND ? AND d.store_id = ANY (?::bigint[]) AND d.transactions > 0
              AND c.first_business_date BETWEEN ? AND ?
            GROUP BY 1, 2 ORDER BY 1, 2""";
    private static final String LEVELS = """
            SELECT * FROM (
                SELECT st.code, p.sku, p.name, l.on_hand, p.reorder_point,
                       CASE WHEN l.on_hand <= 0 THEN 'out' WHEN l.on_hand <= p.reorder_point THEN 'low' ELSE 'ok' END AS status,
                       l.as_of, p.unit_cost, round(l.on_hand * p.unit_cost, 2) AS value
                FROM core.inventory_level l JOIN core.product p ON p.id = l.product_id JOIN core.store st ON st.id = l.store_id
                WHERE l.store_id = ANY (?::bigint[])) x
            WHERE ?::text IS NULL OR status = ?
            ORDER BY code, sku""";
    private static final String COGS = """
            SELECT store_id, sum(cogs) FROM core.daily_store_sales
            WHERE business_date BETWEEN ? AND ? AND store_id = ANY (?::bigint[]) GROUP BY 1""";
    // Mean of the daily closing values: the inventory side of turnover (DESIGN.md §4).
    private static final String INVENTORY_VALUE = """
            SELECT d.store_id, sum(d.closing_on_hand * p.unit_cost) / count(DISTINCT d.business_date)
            FROM core.daily_inventory d JOIN core.product p ON p.id = d.product_id
            WHERE d.business_date BETWEEN ? AND ? AND d.store_id = ANY (?::bigint[]) GROUP BY 1""";
    private static final String FRESHNESS = "SELECT max(received_at), max(event_time) FROM core.raw_event";

    private KpiProbes() {
    }

    static List<Probe> all() {
        return List.of(
                sales("sales 30 d by day, all stores", d -> new Window(d.days(30), d.to()), "day", false, null),
                sales("sales 12 months by month, all", d -> Window.months(d.to().withDayOfMonth(1).minusDays(1), 12),
                        "month", false, null),
                sales("sales 30 d, 1 store, delivery", d -> new Window(d.days(30), d.to()), "day", true, null),
                sales("sales 30 d by day, timezone=UTC", d -> new Window(d.days(30), d.to()), "day", false, ZoneId.of("UTC")),
                sales("sales 12 months by month, timezone=America/New_York",
                        d -> Window.months(d.to().withDayOfMonth(1).minusDays(1), 12), "month", false,
                        ZoneId.of("America/New_York")),
                new Probe("sales today", true, d -> "/api/v1/kpis/sales/today", today()),
                new Probe("sales daily, 30 d", true,
                        d -> "/api/v1/kpis/sales/daily?from=%s&to=%s".formatted(d.days(30), d.to()),
                        period(d -> new Window(d.days(30), d.to()), "day", d -> ALL_STORES, d -> null, false)),
                new Probe("top products 30 d", true,
                        d -> "/api/v1/kpis/products/top?from=%s&to=%s&limit=10&by=%s".formatted(d.days(30), d.to(),
                                byQuantity(d) ? "qty" : "net"),
                        List.of(new Query(TOP_PRODUCTS, d -> new Object[] {d.days(30), d.to(), ALL_STORES, byQuantity(d)}))),
                new Probe("customers 3 months by month", true,
                        d -> "/api/v1/kpis/customers?from=%s&to=%s&granularity=month".formatted(d.months(3), d.to()),
                        List.of(new Query(CUSTOMERS, d -> new Object[] {d.months(4), d.to(), ALL_STORES, d.months(3)}),
                                new Query(NEW_CUSTOMERS, d -> new Object[] {d.months(3), d.to(), ALL_STORES}))),
                // No plain SQL of the same answer: the zone's days are counted from the sales themselves.
                new Probe("customers 3 months by month, timezone=Asia/Kathmandu", true,
                        d -> "/api/v1/kpis/customers?from=%s&to=%s&granularity=month&timezone=Asia/Kathmandu"
                                .formatted(d.months(3), d.to()), List.of()),
                new Probe("customer cohorts 12 months", true,
                        d -> "/api/v1/kpis/customers/cohorts?from=%s&to=%s".formatted(d.months(12), d.to()),
                        List.of(new Query(COHORTS, d -> new Object[] {d.months(12), d.to(), ALL_STORES, d.months(12), d.to()}),
                                new Query(NEW_CUSTOMERS, d -> new Object[] {d.months(12), d.to(), ALL_STORES}))),
                new Probe("inventory levels", true,
                        d -> "/api/v1/kpis/inventory/levels" + (lowOnly(d) ? "?status=low" : ""),
                        List.of(new Query(LEVELS, d -> new Object[] {ALL_STORES, status(d), status(d)}))),
                new Probe("inventory turnover 30 d", true,
                        d -> "/api/v1/kpis/inventory/turnover?from=%s&to=%s".formatted(d.days(30), d.to()),
                        List.of(new Query(COGS, d -> new Object[] {d.days(30), d.to(), ALL_STORES}),
                                new Query(INVENTORY_VALUE, d -> new Object[] {d.days(30), d.to(), ALL_STORES}))),
                new Probe("freshness", true, d -> "/api/v1/freshness", List.of(new Query(FRESHNESS, d -> new Object[0]))),
                new Probe("baseline: /q/health/live", false, d -> "/q/health/live", List.of()));
    }

    /** A period, from and to included; whole months compare with the months before, as api-service's Period does. */
    record Window(LocalDate from, LocalDate to) {

        static Window months(LocalDate to, int count) {
            return new Window(to.withDayOfMonth(1).minusMonths(count - 1L), to);
        }

        boolean wholeMonths() {
            return from.getDayOfMonth() == 1 && to.plusDays(1).getDayOfMonth() == 1;
        }

        Window previous() {
            if (wholeMonths()) {
                long months = ChronoUnit.MONTHS.between(from, to.plusDays(1));
                return new Window(from.minusMonths(months), from.minusDays(1));
            }
            return new Window(from.minusDays(ChronoUnit.DAYS.between(from, to) + 1), from.minusDays(1));
        }

        Window lastYear() {
            return wholeMonths() ? new Window(from.minusYears(1), to.plusDays(1).minusYears(1).minusDays(1))
                    : new Window(from.minusYears(1), to.minusYears(1));
        }
    }

    /**
     * GET /api/v1/kpis/sales: the period, the previous one and the same one last year, each read as
     * sales per store, bucket and channel plus distinct customers (not by channel: the customer rollup has none).
     */
    private static Probe sales(String name, Function<Draw, Window> window, String granularity, boolean oneStoreDelivery,
                               ZoneId zone) {
        Function<Draw, String> stores = d -> oneStoreDelivery ? d.storeIds() : ALL_STORES;
        Function<Draw, String> channel = d -> oneStoreDelivery ? "delivery" : null;
        Function<Draw, String> path = d -> "/api/v1/kpis/sales?from=%s&to=%s&granularity=%s%s%s".formatted(
                window.apply(d).from(), window.apply(d).to(), granularity,
                oneStoreDelivery ? "&store=" + d.storeCode() + "&channel=delivery" : "",
                zone == null ? "" : "&timezone=" + zone.getId());
        List<Function<Draw, Window>> periods = List.of(window, d -> window.apply(d).previous(), d -> window.apply(d).lastYear());
        List<Query> queries = new ArrayList<>();
        for (Function<Draw, Window> period : periods) {
            queries.addAll(zone == null ? period(period, granularity, stores, channel, oneStoreDelivery) : zonePeriod(period, granularity, zone));
        }
        return new Probe(name, true, path, queries);
    }

    /** One period over the rollups, as api-service's SalesKpiService.slices reads it. */
    private static List<Query> period(Function<Draw, Window> window, String granularity, Function<Draw, String> stores,
                                      Function<Draw, String> channel, boolean oneChannel) {
        List<Query> queries = new ArrayList<>(List.of(new Query(ROLLUP_SALES, d -> new Object[] {granularity, stores.apply(d),
                window.apply(d).from(), window.apply(d).to(), channel.apply(d), channel.apply(d)})));
        if (!oneChannel) {
            queries.add(new Query(ROLLUP_CUSTOMERS, d -> new Object[] {granularity, stores.apply(d), window.apply(d).from(),
                    window.apply(d).to()}));
        }
        return queries;
    }

    /** One period in another time zone: from the sales and refunds, by instant. */
    private static List<Query> zonePeriod(Function<Draw, Window> window, String granularity, ZoneId zone) {
        Function<Draw, OffsetDateTime> start = d -> window.apply(d).from().atStartOfDay(zone).toOffsetDateTime();
        Function<Draw, OffsetDateTime> end = d -> window.apply(d).to().plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        return List.of(
                new Query(ZONE_SALES, d -> new Object[] {granularity, zone.getId(), ALL_STORES, start.apply(d), end.apply(d),
                        zone.getId(), ALL_STORES, start.apply(d), end.apply(d), window.apply(d).from(), window.apply(d).to()}),
                new Query(ZONE_CUSTOMERS, d -> new Object[] {granularity, zone.getId(), ALL_STORES, start.apply(d),
                        end.apply(d), window.apply(d).from(), window.apply(d).to()}));
    }

    /** Each store's day so far and the same weekday last week, one store at a time. */
    private static List<Query> today() {
        List<Query> queries = new ArrayList<>();
        for (KpiDataSet.Store store : KpiDataSet.STORES) {
            ZoneId zone = ZoneId.of(store.timezone());
            String ids = "{" + store.id() + "}";
            for (int weeksBack = 0; weeksBack <= 1; weeksBack++) {
                long weeks = weeksBack;
                Function<Draw, Window> day = d -> {
                    LocalDate date = LocalDate.now(zone).minusWeeks(weeks);
                    return new Window(date, date);
                };
                queries.addAll(period(day, "day", d -> ids, d -> null, false));
            }
        }
        return queries;
    }

    private static boolean byQuantity(Draw draw) {
        return draw.variant() % 2 == 1;
    }

    private static boolean lowOnly(Draw draw) {
        return draw.variant() % 4 == 3;
    }

    private static String status(Draw draw) {
        return lowOnly(draw) ? "low" : null;
    }
}
