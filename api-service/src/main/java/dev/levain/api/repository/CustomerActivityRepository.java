package dev.levain.api.repository;

import dev.levain.api.service.Period;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The customer figures goals track (DESIGN.md §4), from {@code core.customer}'s first sale and the
 * {@code core.daily_customer_sales} rollup, in each store's business days.
 */
@ApplicationScoped
public class CustomerActivityRepository {

    // A customer whose first completed sale, at any store, falls in the period, counted at that first store.
    private static final String NEW_CUSTOMERS = """
            SELECT count(*) FROM core.customer
            WHERE merged_into IS NULL AND first_store_id = ANY (?) AND first_business_date BETWEEN ? AND ?""";
    private static final String RETAINED = """
            WITH before AS (
                SELECT DISTINCT customer_id FROM core.daily_customer_sales
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ? AND transactions > 0
            ), now AS (
                SELECT DISTINCT customer_id FROM core.daily_customer_sales
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ? AND transactions > 0
            )
            SELECT count(*), count(now.customer_id) FROM before LEFT JOIN now USING (customer_id)""";

    private final AgroalDataSource dataSource;

    public CustomerActivityRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Customers whose first completed sale fell in the period at one of the stores. */
    public long newCustomers(long[] storeIds, Period period) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(NEW_CUSTOMERS)) {
            statement.setArray(1, stores(connection, storeIds));
            statement.setObject(2, period.from());
            statement.setObject(3, period.to());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count new customers", e);
        }
    }

    /** Customers active at the stores in {@code before}, and how many of them are active again in {@code now}. */
    public Retained retained(long[] storeIds, Period before, Period now) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RETAINED)) {
            Array stores = stores(connection, storeIds);
            statement.setArray(1, stores);
            statement.setObject(2, before.from());
            statement.setObject(3, before.to());
            statement.setArray(4, stores);
            statement.setObject(5, now.from());
            statement.setObject(6, now.to());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return new Retained(result.getLong(1), result.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count retained customers", e);
        }
    }

    /** Active customers of the earlier period, and those of them active in the later one. */
    public record Retained(long activeBefore, long activeAgain) {
    }

    private static Array stores(Connection connection, long[] storeIds) throws SQLException {
        Object[] ids = new Object[storeIds.length];
        for (int i = 0; i < storeIds.length; i++) {
            ids[i] = storeIds[i];
        }
        return connection.createArrayOf("bigint", ids);
    }
}
