package dev.levain.devstack.test;

import dev.levain.devstack.Classpath;
import dev.levain.devstack.DevStackMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One devstack process per test JVM. Its settings are kept in system properties, not in a
 * static field, because Quarkus may load this class again in another class loader for each
 * test profile while the JVM (and the stack) stays the same.
 */
public final class SharedDevStack {

    private static final String PROPERTY_PREFIX = "levain.devstack.";
    private static final String KEYS = PROPERTY_PREFIX + "keys";

    private SharedDevStack() {
    }

    /** The Quarkus settings of the shared stack, starting it on first call. */
    public static Map<String, String> config() {
        synchronized (System.getProperties()) {
            if (System.getProperty(KEYS) == null) {
                start();
            }
            Map<String, String> config = new HashMap<>();
            for (String key : System.getProperty(KEYS).split(",")) {
                config.put(key, System.getProperty(PROPERTY_PREFIX + key));
            }
            return config;
        }
    }

    private static void start() {
        try {
            Path log = logFile();
            Process process = new ProcessBuilder(Classpath.javaExecutable(), "-Xmx768m", "-cp", Classpath.ofDevstack(),
                    DevStackMain.class.getName())
                    .redirectErrorStream(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process)));
            Map<String, String> settings = awaitReady(process, log);
            settings.forEach((key, value) -> System.setProperty(PROPERTY_PREFIX + key, value));
            System.setProperty(KEYS, String.join(",", settings.keySet()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start devstack", e);
        }
    }

    /** Next to the module's other build output when there is one, else in the temp folder. */
    private static Path logFile() throws IOException {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? target.resolve("devstack.log") : Files.createTempFile("levain-devstack-", ".log");
    }

    private static Map<String, String> awaitReady(Process process, Path log) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith(DevStackMain.READY_PREFIX)) {
                drainInBackground(process.getInputStream(), log);
                return parse(line.substring(DevStackMain.READY_PREFIX.length()));
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("devstack exited before it was ready:\n" + seen);
    }

    private static Map<String, String> parse(String settings) {
        Map<String, String> config = new HashMap<>();
        for (String pair : settings.trim().split(" ")) {
            int eq = pair.indexOf('=');
            config.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return config;
    }

    private static void drainInBackground(InputStream output, Path log) {
        Thread drain = new Thread(() -> {
            try {
                Files.copy(output, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // The stack is gone; nothing left to record.
            }
        }, "devstack-output");
        drain.setDaemon(true);
        drain.start();
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

}
