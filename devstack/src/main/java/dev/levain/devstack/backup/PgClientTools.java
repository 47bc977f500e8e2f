package dev.levain.devstack.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's {@code pg_dump} and {@code pg_restore}. zonky's server binaries do not include them,
 * so they come from the machine: {@code --pg-bin}, {@code $LEVAIN_PG_BIN}, the newest Debian
 * {@code /usr/lib/postgresql/<major>/bin}, or the PATH.
 */
public record PgClientTools(Path pgDump, Path pgRestore, int major) {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    /** Finds the tools, preferring {@code configured} (a bin folder) when given. */
    public static PgClientTools find(String configured) {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(configured).or(() -> Optional.ofNullable(System.getenv("LEVAIN_PG_BIN")))
                .ifPresent(dir -> candidates.add(Path.of(dir)));
        if (candidates.isEmpty()) {
            candidates.addAll(debianClients());
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                candidates.add(Path.of(dir));
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("pg_dump")) && Files.isExecutable(dir.resolve("pg_restore")))
                .findFirst()
                .map(dir -> new PgClientTools(dir.resolve("pg_dump"), dir.resolve("pg_restore"), major(dir.resolve("pg_dump"))))
                .orElseThrow(() -> new IllegalStateException("pg_dump and pg_restore not found: install PostgreSQL's"
                        + " client tools (Debian: postgresql-client) or pass --pg-bin DIR"));
    }

    /** Refuses a server newer than the tools: pg_dump cannot dump it. */
    public void requireAtLeast(int serverMajor) {
        if (major < serverMajor) {
            throw new IllegalStateException(pgDump + " is PostgreSQL " + major + "'s and cannot dump a PostgreSQL "
                    + serverMajor + " server: install postgresql-client-" + serverMajor + " or pass --pg-bin DIR");
        }
    }

    /** Runs {@code tool} with {@code args}, the password given through PGPASSWORD; throws with its output if it fails. */
    public static void run(Path tool, List<String> args, String password) {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(tool.getFileName() + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + tool, e);
        }
    }

    private static List<Path> debianClients() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var versions = Files.list(root)) {
            return versions.filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path dir) -> Integer.parseInt(dir.getFileName().toString())).reversed())
                    .map(dir -> dir.resolve("bin"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int major(Path pgDump) {
        try {
            Process process = new ProcessBuilder(pgDump.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor(10, TimeUnit.SECONDS);
            Matcher matcher = VERSION.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("Unexpected version of " + pgDump + ": " + output);
            }
            return Integer.parseInt(matcher.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + pgDump, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
