package dev.levain.api.support;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Databases of a test's own on the test PostgreSQL server, for data sets whose totals must be exact (the
 * shared test database holds every other test's rows). Created empty; {@link CoreSeed} migrates them.
 */
@ApplicationScoped
public class ScratchDatabases {

    /** One scratch database: its JDBC URL, reached as the superuser. */
    public record Scratch(String name, String url, String user, String password) {

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String superuser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String superuserPassword;

    /** A new empty database named {@code prefix} and a random suffix. */
    public Scratch create(String prefix) throws SQLException {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = dataSource.getConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        }
        return new Scratch(name, jdbcUrl.replaceFirst("/[^/?]+(\\?.*)?$", "/" + name + "$1"), superuser,
                superuserPassword);
    }

    /** Drops the database, whoever is still connected to it, then the test's own roles (cluster-wide). */
    public void drop(Scratch scratch, String... roles) throws SQLException {
        try (Connection admin = dataSource.getConnection(); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + scratch.name() + " WITH (FORCE)");
            for (String role : roles) {
                sql.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
