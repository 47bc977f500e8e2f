package dev.levain.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Keeps the logs of a test's processes under {@code target/<test>}, where they outlive the run's data folder. */
final class ProcessLogs {

    private ProcessLogs() {
    }

    /**
     * Copies each file below {@code root} that {@code which} takes to {@code target/<test>}, named by its path
     * below {@code root} with dashes for slashes ({@code logs-a/normalize-service.log} becomes
     * {@code logs-a-normalize-service.log}); returns that folder.
     */
    static Path keep(Class<?> test, Path root, Predicate<Path> which) throws IOException {
        Path kept = Path.of("target", test.getSimpleName());
        Files.createDirectories(kept);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(which).toList()) {
                Files.copy(file, kept.resolve(root.relativize(file).toString().replace('/', '-')),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return kept;
    }
}
