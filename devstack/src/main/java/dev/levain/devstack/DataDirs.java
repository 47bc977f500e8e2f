package dev.levain.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Data directories for devstack servers. */
public final class DataDirs {

    private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

    private DataDirs() {
    }

    /**
     * Claims {@code dir} for this process, for as long as it lives. The lock is the OS's, so it
     * goes with the process however it ends: a held lock means a live devstack or launcher, and
     * a free one means anything left running on the directory is a leftover. Re-entrant within
     * one process.
     *
     * @return false when another process holds it
     */
    public static boolean tryLock(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                return true;
            }
            try {
                Files.createDirectories(key);
                FileChannel channel = FileChannel.open(key.resolve("devstack.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return false;
                }
                HELD.put(key, lock);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + key, e);
            }
        }
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
