package dev.levain.api.repository;

import dev.levain.api.service.KpiQuery;
import dev.levain.api.service.Period;
import dev.levain.api.service.ProductSales;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads product sales from the normalizer's rollup {@code core.daily_product_sales} (store business days). */
@ApplicationScoped
public class ProductKpiRepository {

    /** What products can be ranked by. */
    public enum Ranking {
        NET("t.net"), QTY("t.qty");

        private final String column;

        Ranking(String column) {
            this.column = column;
        }
    }

    // Products are added up first (over the rollup's primary key: store_id, business_date), then named; the
    // window gives the net of every product of the period, before the limit cuts the list. The normalizer takes a
    // voided or moved sale out by subtracting it, which leaves its rows behind at zero: a product without a sale
    // line or a return left in the period sold nothing there.
    private static final String TOP = """
            SELECT p.sku, p.name, p.category, t.qty, t.gross, t.net, t.cogs, t.lines, sum(t.net) OVER () AS all_net,
                   t.returned_qty, t.refunds
            FROM (
                SELECT product_id, sum(qty) AS qty, sum(gross) AS gross, sum(net) AS net, sum(cogs) AS cogs,
                       sum(lines) AS lines, sum(returned_qty) AS returned_qty, sum(refunds) AS refunds
                FROM core.daily_product_sales
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?
                GROUP BY product_id
                HAVING sum(lines) > 0 OR sum(returned_qty) <> 0
            ) t JOIN core.product p ON p.id = t.product_id
            ORDER BY %s DESC, p.sku
            LIMIT ?""";

    // The COGS of every product sold in the period (the same lines TOP adds up). Parameters: stores, from, to.
    private static final String COGS = """
            SELECT p.sku, t.cogs
            FROM (SELECT product_id, sum(cogs) AS cogs FROM core.daily_product_sales
                  WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?
                  GROUP BY product_id) t
            JOIN core.product p ON p.id = t.product_id""";

    private final AgroalDataSource dataSource;

    public ProductKpiRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The {@code limit} best-selling products of the query's stores and period, by {@code ranking}. */
    public List<ProductSales> top(KpiQuery query, Ranking ranking, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(TOP.formatted(ranking.column))) {
            statement.setArray(1, connection.createArrayOf("bigint",
                    query.stores().stream().map(store -> store.id()).toArray()));
            statement.setObject(2, query.period().from());
            statement.setObject(3, query.period().to());
            statement.setInt(4, limit);
            List<ProductSales> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new ProductSales(result.getString(1), result.getString(2), result.getString(3),
                            result.getBigDecimal(4), result.getBigDecimal(5), result.getBigDecimal(6),
                            result.getBigDecimal(7), result.getLong(8), result.getBigDecimal(9),
                            result.getBigDecimal(10), result.getBigDecimal(11)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read product sales", e);
        }
    }

    /** The COGS of each product (by SKU) of the period at the stores; products with no rollup row are absent. */
    public Map<String, BigDecimal> cogsBySku(long[] storeIds, Period period) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(COGS)) {
            statement.setArray(1, connection.createArrayOf("bigint", Arrays.stream(storeIds).boxed().toArray()));
            statement.setObject(2, period.from());
            statement.setObject(3, period.to());
            Map<String, BigDecimal> cogs = new HashMap<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    cogs.put(result.getString(1), result.getBigDecimal(2));
                }
            }
            return cogs;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read product costs of goods sold", e);
        }
    }
}
