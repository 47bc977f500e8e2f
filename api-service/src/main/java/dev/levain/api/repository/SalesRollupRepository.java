package dev.levain.api.repository;

import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.KpiQuery;
import dev.levain.api.service.SalesRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads sales KPIs from the normalizer's rollups ({@code core.daily_store_sales},
 * {@code core.daily_customer_sales}), which are in each store's business days. When a query names another
 * time zone, the same columns are recomputed from the sales and refunds themselves, by their instant.
 */
@ApplicationScoped
public class SalesRollupRepository {

    // Columns of both sources: store_id, business_date, channel, gross, discount, refunds, net, tax, cogs,
    // transactions, anonymous_transactions. Parameters: stores, from, to.
    private static final String STORE_DAYS = """
            SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,
                   anonymous_transactions
            FROM core.daily_store_sales WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // Parameters: zone, stores, start instant, end instant, zone, stores, start instant, end instant; then from, to.
    private static final String ZONE_DAYS = """
            SELECT * FROM (
                SELECT s.store_id, (s.occurred_at AT TIME ZONE ?)::date AS business_date, s.channel, s.gross, s.discount,
                       0::numeric AS refunds, s.net, s.tax,
                       coalesce((SELECT sum(round(l.qty * l.unit_cost, 2)) FROM core.sale_line l WHERE l.sale_id = s.id), 0)
                           AS cogs,
                       1 AS transactions, CASE WHEN s.customer_id IS NULL THEN 1 ELSE 0 END AS anonymous_transactions
                FROM core.sale s
                WHERE s.status = 'completed' AND s.store_id = ANY (?) AND s.occurred_at >= ? AND s.occurred_at < ?
                UNION ALL
                SELECT r.store_id, (r.occurred_at AT TIME ZONE ?)::date, s.channel, 0, 0, r.amount, -r.amount, 0, 0, 0, 0
                FROM core.refund r JOIN core.sale s ON s.id = r.sale_id
                WHERE r.status = 'completed' AND r.store_id = ANY (?) AND r.occurred_at >= ? AND r.occurred_at < ?
            ) zone_days WHERE business_date BETWEEN ? AND ?""";
    private static final String STORE_CUSTOMERS = """
            SELECT store_id, business_date, customer_id FROM core.daily_customer_sales
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ? AND transactions > 0""";
    private static final String ZONE_CUSTOMERS = """
            SELECT * FROM (
                SELECT store_id, (occurred_at AT TIME ZONE ?)::date AS business_date, customer_id FROM core.sale
                WHERE status = 'completed' AND customer_id IS NOT NULL AND store_id = ANY (?)
                  AND occurred_at >= ? AND occurred_at < ?
            ) zone_customers WHERE business_date BETWEEN ? AND ?""";

    private final AgroalDataSource dataSource;

    public SalesRollupRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sales per store, bucket (first day of the query's granularity) and channel. */
    public List<SalesRow> sales(KpiQuery query, Optional<String> channel) {
        String sql = "SELECT store_id, date_trunc(?, business_date)::date AS bucket, channel, sum(gross), sum(discount),"
                + " sum(refunds), sum(net), sum(tax), sum(cogs), sum(transactions), sum(anonymous_transactions)"
                + " FROM (" + daySource(query, STORE_DAYS, ZONE_DAYS) + ") days"
                + (channel.isPresent() ? " WHERE channel = ?" : "")
                + " GROUP BY 1, 2, 3";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = 1;
            statement.setString(next++, query.granularity().sqlField());
            next = bindSource(statement, next, connection, query, true);
            if (channel.isPresent()) {
                statement.setString(next, channel.get());
            }
            List<SalesRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new SalesRow(result.getLong(1), result.getObject(2, LocalDate.class), result.getString(3),
                            result.getBigDecimal(4), result.getBigDecimal(5), result.getBigDecimal(6),
                            result.getBigDecimal(7), result.getBigDecimal(8), result.getBigDecimal(9), result.getLong(10),
                            result.getLong(11)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read sales rollups", e);
        }
    }

    /**
     * Distinct active customers per store and bucket, per bucket over all stores, per store over the whole
     * period and over everything: a customer active in two stores counts once in the totals.
     */
    public List<CustomerCount> distinctCustomers(KpiQuery query) {
        String sql = "SELECT store_id, bucket, count(DISTINCT customer_id) FROM ("
                + " SELECT store_id, date_trunc(?, business_date)::date AS bucket, customer_id FROM ("
                + daySource(query, STORE_CUSTOMERS, ZONE_CUSTOMERS) + ") c) d"
                + " GROUP BY GROUPING SETS ((store_id, bucket), (bucket), (store_id), ())";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, query.granularity().sqlField());
            bindSource(statement, 2, connection, query, false);
            List<CustomerCount> counts = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    counts.add(new CustomerCount(result.getObject(1, Long.class), result.getObject(2, LocalDate.class),
                            result.getLong(3)));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count customers", e);
        }
    }

    private static String daySource(KpiQuery query, String storeZone, String givenZone) {
        return query.timezone().isPresent() ? givenZone : storeZone;
    }

    /** Binds the parameters of {@link #STORE_DAYS} / {@link #ZONE_DAYS} (or the customer sources) from {@code index}. */
    private static int bindSource(PreparedStatement statement, int index, Connection connection, KpiQuery query,
                                  boolean withRefunds) throws SQLException {
        Array stores = connection.createArrayOf("bigint", query.stores().stream().map(s -> s.id()).toArray());
        int next = index;
        if (query.timezone().isPresent()) {
            ZoneId zone = query.timezone().get();
            OffsetDateTime start = query.period().from().atStartOfDay(zone).toOffsetDateTime();
            OffsetDateTime end = query.period().to().plusDays(1).atStartOfDay(zone).toOffsetDateTime();
            for (int part = 0; part < (withRefunds ? 2 : 1); part++) {
                statement.setString(next++, zone.getId());
                statement.setArray(next++, stores);
                statement.setObject(next++, start);
                statement.setObject(next++, end);
            }
        } else {
            statement.setArray(next++, stores);
        }
        statement.setObject(next++, query.period().from());
        statement.setObject(next++, query.period().to());
        return next;
    }
}
