package dev.levain.normalize.repository;

import dev.levain.normalize.mapping.CanonicalSaleLine;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code core.product}. */
@ApplicationScoped
public class ProductRepository {

    private static final String INSERT_MISSING = """
            INSERT INTO core.product (sku, name, price)
            SELECT * FROM unnest(?::text[], ?::text[], ?::numeric[])
            ON CONFLICT (sku) DO NOTHING""";
    private static final String FIND_IDS = "SELECT sku, id FROM core.product WHERE sku = ANY (?)";

    private final AgroalDataSource dataSource;

    public ProductRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Ids by SKU of the lines' products; products seen for the first time are created from the line. */
    public Map<String, Long> ensure(List<CanonicalSaleLine> lines) {
        try (Connection connection = dataSource.getConnection()) {
            String[] skus = lines.stream().map(CanonicalSaleLine::sku).toArray(String[]::new);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_MISSING)) {
                insert.setArray(1, connection.createArrayOf("text", skus));
                insert.setArray(2, connection.createArrayOf("text", lines.stream().map(CanonicalSaleLine::name).toArray()));
                insert.setArray(3, connection.createArrayOf("numeric", lines.stream().map(CanonicalSaleLine::unitPrice).toArray()));
                insert.executeUpdate();
            }
            Map<String, Long> ids = new HashMap<>();
            try (PreparedStatement find = connection.prepareStatement(FIND_IDS)) {
                find.setArray(1, connection.createArrayOf("text", skus));
                try (ResultSet rows = find.executeQuery()) {
                    while (rows.next()) {
                        ids.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return ids;
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot upsert products", e);
        }
    }
}
