package dev.levain.devstack.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 server run from zonky's binaries with {@code initdb} and {@code pg_ctl},
 * listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so when devstack runs as root
 * (CI does) the server runs as the unprivileged user {@code nobody}; when {@code nobody} cannot reach
 * the data folder, the cluster lives under {@value #RELOCATED_ROOT} instead (see {@link #dataDirectory}).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    public static final String PASSWORD = "postgres";
    public static final String DATABASE = "levain";

    private static final int NOBODY = 65534;

    /** Where clusters go that {@code nobody} could not reach in their data folder. */
    public static final String RELOCATED_ROOT = "/var/lib/levain";

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
        try {
            // Before deciding where the cluster goes: whether nobody may enter depends on these folders' modes.
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + root, e);
        }
        PostgresServer server = new PostgresServer(PostgresBinaries.unpacked(), dataDirectory(root), port, durable);
        server.startServer(root);
        return server;
    }

    public int port() {
        return port;
    }

    /** Where the cluster's files are. */
    public Path dataDir() {
        return dataDir;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void startServer(Path root) {
        try {
            Files.createDirectories(root);
            if (runsAsRoot()) {
                Path home = dataDir.getParent();
                if (!home.equals(root.toAbsolutePath().normalize())) {
                    prepareRelocated(root, home);
                }
                requireTraversableByOthers(home.getParent());
                chownToNobody(home);
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

    /**
     * Where the cluster of {@code root} lives: {@code root/data}, unless the server runs as {@code nobody}
     * and {@code nobody} cannot enter a folder above {@code root} (a checkout under {@code /root}, 0700, as
     * root's home is in most containers). Then it lives in {@value #RELOCATED_ROOT}/&lt;hash of root's
     * path&gt;/data, which survives restarts and which every start over the same {@code root} finds again.
     * A cluster already in {@code root/data} stays there.
     */
    public static Path dataDirectory(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        Path local = absolute.resolve("data");
        boolean clusterHere = Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS) && Files.exists(local.resolve("PG_VERSION"));
        if (!runsAsRoot() || clusterHere || closedToOthers(absolute.getParent()) == null) {
            return local;
        }
        return Path.of(RELOCATED_ROOT, hash(absolute.toString()), "data");
    }

    /**
     * Creates the relocated cluster's folder where {@code nobody} can reach it, and a link from
     * {@code root/data} to it, so that whoever looks in the data folder finds the files.
     */
    private static void prepareRelocated(Path root, Path home) throws IOException {
        Path relocatedRoot = home.getParent();
        Files.createDirectories(relocatedRoot);
        Files.setPosixFilePermissions(relocatedRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(home);
        Path link = root.resolve("data");
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, home.resolve("data"));
        }
    }

    private static String hash(String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
        Path dataDir = dataDirectory(root);
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
        Path closed = closedToOthers(dir);
        if (closed != null) {
            throw new IOException("PostgreSQL runs as 'nobody' when devstack runs as root, and 'nobody' cannot"
                    + " enter " + closed + ": put the data directory elsewhere or chmod o+x " + closed);
        }
    }

    /** The first folder from {@code dir} up that others may not enter, or null when they may enter all. */
    private static Path closedToOthers(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return p;
                }
            } catch (IOException e) {
                return p;
            }
        }
        return null;
    }

    private static void chownToNobody(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", NOBODY);
        Files.setAttribute(path, "unix:gid", NOBODY);
    }
}
