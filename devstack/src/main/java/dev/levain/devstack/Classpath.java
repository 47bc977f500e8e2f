package dev.levain.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** How to start devstack's main classes in a JVM of their own, away from the caller's classpath. */
public final class Classpath {

    private Classpath() {
    }

    /** devstack's own classes plus the runtime classpath recorded at build time. */
    public static String ofDevstack() {
        try (InputStream recorded = Classpath.class.getResourceAsStream("/META-INF/levain/devstack.classpath")) {
            if (recorded == null) {
                throw new IllegalStateException("devstack.classpath is missing: build the devstack module first");
            }
            String dependencies = new String(recorded.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read devstack.classpath", e);
        }
    }

    /** The java launcher of the running JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String ownLocation() {
        try {
            return Path.of(Classpath.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the devstack classes", e);
        }
    }
}
