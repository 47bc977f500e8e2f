package dev.levain.devstack.backup;

import dev.levain.devstack.Cli;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.postgres.PostgresServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code ./levain restore-drill}: proves that a backup restores. Dumps a running database with
 * {@code pg_dump --format=custom} (as the nightly CronJob of deploy/ does), restores the dump with
 * {@code pg_restore} into a fresh PostgreSQL cluster started for the drill, and compares the KPIs of
 * both. Prints PASS or FAIL with the figures; exits 1 on any difference, 2 if the drill could not run.
 */
public final class RestoreDrill {

    /** Where the source database is and which tools dump it. */
    public record Source(String host, int port, String database, String user, String password) {

        String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** Both sides' figures, the dump's size and what differs. */
    public record Result(KpiSnapshot source, KpiSnapshot restored, long dumpBytes, List<String> differences) {

        public boolean passed() {
            return differences.isEmpty() && source.sales() > 0;
        }
    }

    private RestoreDrill() {
    }

    public static void main(String[] args) {
        DevStack.quietLogs();
        Map<String, String> options = Cli.options(args);
        Source source = new Source(options.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(options.getOrDefault("pg-port", String.valueOf(DevStack.DEFAULT_PG_PORT))),
                options.getOrDefault("database", PostgresServer.DATABASE),
                options.getOrDefault("user", PostgresServer.SUPERUSER),
                options.getOrDefault("password", PostgresServer.PASSWORD));
        try {
            Result result = run(source, PgClientTools.find(options.get("pg-bin")), System.out);
            System.exit(result.passed() ? 0 : 1);
        } catch (RuntimeException e) {
            System.err.println("Restore drill could not run: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the drill, reporting on {@code out}. */
    public static Result run(Source source, PgClientTools tools, PrintStream out) {
        tools.requireAtLeast(serverMajor(source));
        KpiSnapshot before = KpiSnapshot.of(source.jdbcUrl(), source.user(), source.password());
        Path work = DataDirs.createTemporary("levain-restore-drill-");
        try {
            Path dump = work.resolve("levain.dump");
            out.printf("pg_dump   %s:%d/%s (PostgreSQL %d tools) ...%n", source.host(), source.port(), source.database(), tools.major());
            PgClientTools.run(tools.pgDump(), List.of("--format=custom", "--file=" + dump, "--host=" + source.host(),
                    "--port=" + source.port(), "--username=" + source.user(), "--no-password", source.database()), source.password());
            long dumpBytes = Files.size(dump);
            try (PostgresServer fresh = PostgresServer.start(work.resolve("restored"), Ports.free(), false)) {
                out.printf("pg_restore %,d bytes into a fresh cluster on 127.0.0.1:%d ...%n", dumpBytes, fresh.port());
                // Roles live outside a dump (the operator's managed roles recreate them): the fresh
                // cluster has none of them, so objects are restored owned by the restoring user.
                PgClientTools.run(tools.pgRestore(), List.of("--exit-on-error", "--no-owner", "--no-privileges",
                        "--host=127.0.0.1", "--port=" + fresh.port(), "--username=" + PostgresServer.SUPERUSER,
                        "--no-password", "--dbname=" + PostgresServer.DATABASE, dump.toString()), PostgresServer.PASSWORD);
                KpiSnapshot after = KpiSnapshot.of(fresh.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
                Result result = new Result(before, after, dumpBytes, before.differences(after));
                report(result, out);
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DataDirs.delete(work);
        }
    }

    private static void report(Result result, PrintStream out) {
        out.printf("%-48s %22s %22s%n", "figure", "source", "restored");
        result.source().dailySales().forEach((day, figures) ->
                out.printf("%-48s %22s %22s%n", "sales " + day, figures, result.restored().dailySales().get(day)));
        result.source().rowCounts().forEach((table, rows) ->
                out.printf("%-48s %22d %22s%n", "rows " + table, rows, result.restored().rowCounts().get(table)));
        out.printf("%-48s %22d %22d%n", "customers", result.source().customers(), result.restored().customers());
        if (result.passed()) {
            out.printf("PASS: %d store-days, %d tables, %d sales and %d customers identical after restore%n",
                    result.source().dailySales().size(), result.source().rowCounts().size(), result.source().sales(),
                    result.source().customers());
        } else if (result.differences().isEmpty()) {
            out.println("FAIL: the source has no sales, so the drill proves nothing: run ./levain up (with its demo) first");
        } else {
            out.println("FAIL: " + result.differences().size() + " figures differ after restore:");
            result.differences().forEach(difference -> out.println("  " + difference));
        }
    }

    private static int serverMajor(Source source) {
        try (Connection connection = DriverManager.getConnection(source.jdbcUrl(), source.user(), source.password());
             ResultSet rows = connection.createStatement().executeQuery("SHOW server_version_num")) {
            rows.next();
            return rows.getInt(1) / 10000;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach " + source.jdbcUrl() + " (is ./levain up running?): " + e.getMessage(), e);
        }
    }
}
