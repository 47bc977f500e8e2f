package dev.levain.normalize.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@code core.customer} and {@code core.customer_identity}. */
@ApplicationScoped
public class CustomerRepository {

    // Read first: returning customers are the common case, and their row need not be rewritten.
    private static final String FIND_BY_EMAIL = "SELECT id FROM core.customer WHERE email = ?";
    private static final String INSERT = """
            INSERT INTO core.customer (email) VALUES (?)
            ON CONFLICT (email) DO NOTHING
            RETURNING id""";
    private static final String LINK_IDENTITY = """
            INSERT INTO core.customer_identity (source, source_id, customer_id) VALUES (?, ?, ?)
            ON CONFLICT (source, source_id) DO NOTHING""";

    private final AgroalDataSource dataSource;

    public CustomerRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static Long idOf(Connection connection, String sql, String email) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, email);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    /** The customer with this (lower-cased) email, created if new, and linked to the identity that named it. */
    public long ensureByEmail(String email, String source) {
        try (Connection connection = dataSource.getConnection()) {
            Long id = idOf(connection, FIND_BY_EMAIL, email);
            if (id == null) {
                id = idOf(connection, INSERT, email);
            }
            if (id == null) {
                // Another consumer created it between our read and our insert; the retry will read it.
                throw new IllegalStateException("Customer was created concurrently");
            }
            try (PreparedStatement link = connection.prepareStatement(LINK_IDENTITY)) {
                link.setString(1, source + ":email");
                link.setString(2, email);
                link.setLong(3, id);
                link.executeUpdate();
            }
            return id;
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot upsert customer", e);
        }
    }
}
