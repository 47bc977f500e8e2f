package dev.levain.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a devstack as its own process for tests and benchmarks: prints one
 * {@value #READY_PREFIX} line with the connection settings, then serves until its standard input
 * closes (the parent exited, however it exited) and cleans up.
 *
 * <p>Usage: {@code DevStackMain [--data DIR] [--pg-port N] [--kafka-port N] [--durable]}; without
 * {@code --data} the data lives in a temporary folder deleted at exit; ports default to free ones.
 */
public final class DevStackMain {

    public static final String READY_PREFIX = "LEVAIN-DEVSTACK-READY ";

    private DevStackMain() {
    }

    public static void main(String[] args) throws IOException {
        DevStack.quietLogs();
        Map<String, String> options = Cli.options(args);
        boolean temporary = !options.containsKey("data");
        Path dataDir = temporary ? DataDirs.createTemporary("levain-devstack-") : Path.of(options.get("data"));
        DevStack stack = DevStack.start(dataDir,
                Integer.parseInt(options.getOrDefault("pg-port", "0")),
                Integer.parseInt(options.getOrDefault("kafka-port", "0")),
                options.containsKey("durable"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndClean(stack, temporary ? dataDir : null)));
        System.out.println(READY_PREFIX + stack.quarkusConfig().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
        System.out.flush();
        while (System.in.read() != -1) {
            // Serve until the parent closes our standard input.
        }
        System.exit(0);
    }

    private static void stopAndClean(DevStack stack, Path temporaryData) {
        stack.close();
        if (temporaryData != null) {
            DataDirs.delete(temporaryData);
        }
    }
}
