package dev.levain.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;

/** Data directories for devstack servers. */
public final class DataDirs {

    private DataDirs() {
    }

    /**
     * A new temporary directory that others may enter: when devstack runs as root, PostgreSQL runs
     * as {@code nobody} and must reach its data inside it.
     */
    public static Path createTemporary(String prefix) {
        try {
            return Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data directory", e);
        }
    }

    /** Deletes {@code root} and everything under it; a missing directory is fine. */
    public static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
