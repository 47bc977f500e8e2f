package dev.levain.devstack.bench;

import java.time.LocalDate;
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

    private static final String SERIES = """
            SELECT st.code, date_trunc('%s', d.business_date)::date AS period, sum(d.gross), sum(d.discount),
                   sum(d.refunds), sum(d.net), sum(d.tax), sum(d.cogs), sum(d.transactions), sum(d.anonymous_transactions)
            FROM core.daily_store_sales d JOIN core.store st ON st.id = d.store_id
            WHERE d.business_date BETWEEN ? AND ? AND d.store_id = ANY (?::bigint[]) AND (?::text IS NULL OR d.channel = ?)
            GROUP BY 1, 2 ORDER BY 1, 2""";
    private static final String BY_CHANNEL = """
            SELECT d.channel, sum(d.net), sum(d.transactions) FROM core.daily_store_sales d
            WHERE d.business_date BETWEEN ? AND ? AND d.store_id = ANY (?::bigint[]) GROUP BY 1""";
    private static final String COMPARISON = """
            SELECT sum(d.net) FILTER (WHERE d.business_date BETWEEN ? AND ?),
                   sum(d.transactions) FILTER (WHERE d.business_date BETWEEN ? AND ?),
                   sum(d.net) FILTER (WHERE d.business_date BETWEEN ? AND ?),
                   sum(d.transactions) FILTER (WHERE d.business_date BETWEEN ? AND ?)
            FROM core.daily_store_sales d
            WHERE d.store_id = ANY (?::bigint[]) AND (?::text IS NULL OR d.channel = ?)
              AND (d.business_date BETWEEN ? AND ? OR d.business_date BETWEEN ? AND ?)""";
    private static final String TODAY = """
            SELECT st.code, coalesce(sum(d.gross), 0), coalesce(sum(d.net), 0), coalesce(sum(d.transactions), 0)
            FROM core.store st
            LEFT JOIN core.daily_store_sales d ON d.store_id = st.id AND d.business_date = (now() AT TIME ZONE st.timezone)::date
            GROUP BY st.code ORDER BY st.code""";
    // api-service's SalesKpiRepository.DAILY as of this benchmark: it reads core.sale, not the rollups.
    private static final String DAILY = """
            SELECT st.code, d.day::date AS business_date, st.currency,
                   coalesce(sum(s.net), 0) AS net_sales, count(s.id) AS transactions
            FROM core.store st
            CROSS JOIN generate_series(?::date, ?::date, interval '1 day') AS d(day)
            LEFT JOIN core.sale s ON s.store_id = st.id AND s.business_date = d.day::date AND s.status = 'completed'
            WHERE (?::text IS NULL OR st.code = ?)
            GROUP BY st.code, st.currency, d.day
            ORDER BY st.code, d.day""";
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
                sales("sales 30 d by day, all stores", 30, "day", false),
                sales("sales 12 months by month, all", 365, "month", false),
                sales("sales 30 d, 1 store, delivery", 30, "day", true),
                new Probe("sales today", true, d -> "/api/v1/kpis/sales/today", List.of(new Query(TODAY, d -> new Object[0]))),
                new Probe("sales daily (existing), 30 d", true,
                        d -> "/api/v1/kpis/sales/daily?from=%s&to=%s".formatted(d.days(30), d.to()),
                        List.of(new Query(DAILY, d -> new Object[] {d.days(30), d.to(), null, null}))),
                new Probe("top products 30 d", true,
                        d -> "/api/v1/kpis/products/top?from=%s&to=%s&limit=10&by=%s".formatted(d.days(30), d.to(),
                                byQuantity(d) ? "qty" : "net"),
                        List.of(new Query(TOP_PRODUCTS, d -> new Object[] {d.days(30), d.to(), ALL_STORES, byQuantity(d)}))),
                new Probe("customers 3 months by month", true,
                        d -> "/api/v1/kpis/customers?from=%s&to=%s&granularity=month".formatted(d.months(3), d.to()),
                        List.of(new Query(CUSTOMERS, d -> new Object[] {d.months(4), d.to(), ALL_STORES, d.months(3)}),
                                new Query(NEW_CUSTOMERS, d -> new Object[] {d.months(3), d.to(), ALL_STORES}))),
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

    /** GET /api/v1/kpis/sales over {@code days} days: the series, by channel, and both comparisons. */
    private static Probe sales(String name, int days, String granularity, boolean oneStoreDelivery) {
        Function<Draw, String> stores = d -> oneStoreDelivery ? d.storeIds() : ALL_STORES;
        Function<Draw, String> channel = d -> oneStoreDelivery ? "delivery" : null;
        Function<Draw, String> path = d -> "/api/v1/kpis/sales?from=%s&to=%s&granularity=%s%s".formatted(
                d.days(days), d.to(), granularity, oneStoreDelivery ? "&store=" + d.storeCode() + "&channel=delivery" : "");
        return new Probe(name, true, path, List.of(
                new Query(SERIES.formatted(granularity),
                        d -> new Object[] {d.days(days), d.to(), stores.apply(d), channel.apply(d), channel.apply(d)}),
                new Query(BY_CHANNEL, d -> new Object[] {d.days(days), d.to(), stores.apply(d)}),
                new Query(COMPARISON, d -> {
                    LocalDate from = d.days(days);
                    LocalDate previousFrom = from.minusDays(days);
                    LocalDate previousTo = from.minusDays(1);
                    LocalDate lastYearFrom = from.minusYears(1);
                    LocalDate lastYearTo = d.to().minusYears(1);
                    return new Object[] {previousFrom, previousTo, previousFrom, previousTo, lastYearFrom, lastYearTo,
                            lastYearFrom, lastYearTo, stores.apply(d), channel.apply(d), channel.apply(d),
                            previousFrom, previousTo, lastYearFrom, lastYearTo};
                })));
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
