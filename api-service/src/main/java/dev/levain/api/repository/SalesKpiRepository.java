package dev.levain.api.repository;

import dev.levain.api.service.DailySales;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Reads sales KPIs from {@code core}, which normalize-service owns; this service never writes it. */
@ApplicationScoped
public class SalesKpiRepository {

    // Every store × day of the period, so that a day without sales reads as zero, not as a gap.
    private static final String DAILY = """
            SELECT st.code, d.day::date AS business_date, st.currency,
                   coalesce(sum(s.net), 0) AS net_sales, count(s.id) AS transactions
            FROM core.store st
            CROSS JOIN generate_series(?::date, ?::date, interval '1 day') AS d(day)
            LEFT JOIN core.sale s ON s.store_id = st.id AND s.business_date = d.day::date AND s.status = 'completed'
            WHERE (?::text IS NULL OR st.code = ?)
            GROUP BY st.code, st.currency, d.day
            ORDER BY st.code, d.day""";

    private final AgroalDataSource dataSource;

    public SalesKpiRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean storeExists(String code) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement find = connection.prepareStatement("SELECT 1 FROM core.store WHERE code = ?")) {
            find.setString(1, code);
            try (ResultSet rows = find.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read stores", e);
        }
    }

    /** Net sales and transactions per store and business day; the average ticket is left to the caller. */
    public List<DailySales> dailySales(String storeCode, LocalDate from, LocalDate to) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(DAILY)) {
            query.setObject(1, from);
            query.setObject(2, to);
            query.setString(3, storeCode);
            query.setString(4, storeCode);
            List<DailySales> days = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    days.add(new DailySales(rows.getString(1), rows.getObject(2, LocalDate.class), rows.getString(3),
                            rows.getBigDecimal(4).setScale(2), rows.getLong(5), null));
                }
            }
            return days;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read daily sales", e);
        }
    }
}
