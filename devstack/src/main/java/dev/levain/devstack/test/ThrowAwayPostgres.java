package dev.levain.devstack.test;

import dev.levain.devstack.DataDirs;
import dev.levain.devstack.Ports;
import dev.levain.devstack.postgres.PostgresServer;
import java.nio.file.Path;

/**
 * A PostgreSQL server of a test's own, in a temporary folder, on a free port, without fsync; {@link #close()}
 * stops it and deletes its files. For tests that need a whole server (roles, database ownership) rather than
 * the module's shared devstack.
 */
public final class ThrowAwayPostgres implements AutoCloseable {

    private final Path data;
    private final PostgresServer server;

    private ThrowAwayPostgres(Path data, PostgresServer server) {
        this.data = data;
        this.server = server;
    }

    /** Starts a new server with its files in a temporary folder named after {@code prefix}. */
    public static ThrowAwayPostgres start(String prefix) {
        Path data = DataDirs.createTemporary(prefix);
        try {
            return new ThrowAwayPostgres(data, PostgresServer.start(data.resolve("postgres"), Ports.free(), false));
        } catch (RuntimeException e) {
            DataDirs.delete(data);
            throw e;
        }
    }

    public PostgresServer server() {
        return server;
    }

    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            DataDirs.delete(data);
        }
    }
}
