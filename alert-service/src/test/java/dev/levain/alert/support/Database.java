package dev.levain.alert.support;

import dev.levain.alert.repository.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test access to the real database: the normalizer's core tables alert-service reads, and row counts. */
@ApplicationScoped
public class Database {

    private final Sql sql;

    public Database(Sql sql) {
        this.sql = sql;
    }

    /** Creates core.store, core.product, core.daily_product_sales and core.rejected_event unless they exist. */
    public void ensureCoreTables() {
        try (InputStream script = Database.class.getResourceAsStream("/core-tables.sql")) {
            String ddl = new String(script.readAllBytes(), StandardCharsets.UTF_8);
            QuarkusTransaction.requiringNew().run(() -> {
                for (String statement : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        sql.update(statement);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int update(String statement, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> sql.update(statement, params));
    }

    public long count(String query, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> sql.one(query, row -> row.getLong(1), params).orElse(0L));
    }

    public List<String> strings(String query, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> sql.query(query, row -> row.getString(1), params));
    }
}
