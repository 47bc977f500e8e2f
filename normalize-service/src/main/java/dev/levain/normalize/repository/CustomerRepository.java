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

    private static final String UPSERT_BY_EMAIL = """
            INSERT INTO core.customer (email) VALUES (?)
            ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
            RETURNING id""";
    private static final String LINK_IDENTITY = """
            INSERT INTO core.customer_identity (source, source_id, customer_id) VALUES (?, ?, ?)
            ON CONFLICT (source, source_id) DO NOTHING""";

    private final AgroalDataSource dataSource;

    public CustomerRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The customer with this (lower-cased) email, created if new, and linked to the identity that named it. */
    public long ensureByEmail(String email, String source) {
        try (Connection connection = dataSource.getConnection()) {
            long id;
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT_BY_EMAIL)) {
                upsert.setString(1, email);
                try (ResultSet rows = upsert.executeQuery()) {
                    rows.next();
                    id = rows.getLong(1);
                }
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
