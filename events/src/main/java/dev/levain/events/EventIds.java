package dev.levain.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes and stable event ids (DESIGN.md §2: id = a stable hash when the source has none). */
public final class EventIds {

    private EventIds() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** A stable id for sources without event ids of their own: hash of the parts joined by '|'. */
    public static String stableId(String... parts) {
        return sha256(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
    }
}
