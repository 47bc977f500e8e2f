package dev.levain.devstack.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 server run from zonky's binaries with {@code initdb} and {@code pg_ctl},
 * listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so when devstack runs as root
 * (CI does) the server runs as the unprivileged user {@code nobody}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    public static final String PASSWORD = "postgres";
    public static final String DATABASE = "levain";

    private static final int NOBODY = 65534;

    private final Path binaries;
    private final Path dataDir;
    private final int port;
    private final boolean durable;
    private volatile boolean running;

    private PostgresServer(Path binaries, Path dataDir, int port, boolean durable) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.durable = durable;
    }

    /**
     * Starts a server on {@code port} over {@code root/data}, creating the cluster and the
     * {@value #DATABASE} database on first use. A non-durable server skips fsync: for tests.
     */
    public static PostgresServer start(Path root, int port, boolean durable) {
        PostgresServer server = new PostgresServer(PostgresBinaries.unpacked(), root.resolve("data"), port, durable);
        server.startServer(root);
        return server;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void startServer(Path root) {
        try {
            Files.createDirectories(root);
            if (runsAsRoot()) {
                requireTraversableByOthers(root.toAbsolutePath().getParent());
                chownToNobody(root);
            }
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initdb();
            }
            stopLeftoverServer();
            start();
            createDatabaseIfMissing();
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDir, e);
        }
    }

    /** Starts the server (again, after {@link #close()}), keeping its data. */
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            run(List.of(bin("pg_ctl"), "start", "-w", "-t", "60", "-D", dataDir.toString(),
                    "-l", dataDir.resolve("server.log").toString(), "-o", serverOptions()));
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDir, e);
        }
        running = true;
    }

    private String serverOptions() {
        // The normalizer takes a per-key lock for each sale, refund and stock level of a batch (up to
        // 1000): room for several batches at once in the shared lock table, as in deploy's cluster.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c max_connections=200 -c shared_buffers=128MB -c max_locks_per_transaction=256";
        // Throw-away test clusters trade crash safety for speed; the launcher's cluster keeps it.
        return durable ? options : options + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }

    private void initdb() throws IOException {
        Path pwfile = Files.createTempFile(dataDir.getParent(), "pw", ".txt");
        Files.writeString(pwfile, PASSWORD);
        if (runsAsRoot()) {
            chownToNobody(pwfile);
        }
        try {
            run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
                    "-A", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /**
     * Stops a server that a killed launcher or test left running on {@code root} (pg_ctl starts
     * it detached, so it outlives its starter); nothing happens when none runs there.
     */
    public static void stopLeftover(Path root) {
        Path dataDir = root.resolve("data");
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        try {
            new PostgresServer(PostgresBinaries.unpacked(), dataDir, 0, true).stopLeftoverServer();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the PostgreSQL server left on " + dataDir, e);
        }
    }

    private void stopLeftoverServer() throws IOException {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            runQuietly(List.of(bin("pg_ctl"), "stop", "-w", "-m", "fast", "-D", dataDir.toString()));
        }
    }

    private void createDatabaseIfMissing() {
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(adminUrl, SUPERUSER, PASSWORD);
             Statement statement = connection.createStatement()) {
            var rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!rows.next()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + DATABASE + " on port " + port, e);
        }
    }

    /** Stops the server (fast shutdown: open sessions are ended), keeping its data. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            run(List.of(bin("pg_ctl"), "stop", "-w", "-t", "60", "-m", "fast", "-D", dataDir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private void run(List<String> command) throws IOException {
        int exit = runQuietly(command);
        if (exit != 0) {
            String log = Files.exists(dataDir.resolve("server.log")) ? Files.readString(dataDir.resolve("server.log")) : "";
            throw new IOException(String.join(" ", command) + " exited with " + exit + "\n" + log);
        }
    }

    private int runQuietly(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (runsAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("Timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            System.err.println(output);
        }
        return process.exitValue();
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void requireTraversableByOthers(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL runs as 'nobody' when devstack runs as root, and 'nobody' cannot"
                        + " enter " + p + ": put the data directory elsewhere or chmod o+x " + p);
            }
        }
    }

    private static void chownToNobody(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", NOBODY);
        Files.setAttribute(path, "unix:gid", NOBODY);
    }
}
