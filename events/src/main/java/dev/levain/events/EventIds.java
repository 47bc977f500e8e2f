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
        return HexFormat.of().formatHex(digest(bytes));
    }

    /** SHA-256 of a string's UTF-8 bytes, raw. */
    public static byte[] sha256Bytes(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** A stable id for sources without event ids of their own: hash of the parts joined by '|'. */
    public static String stableId(String... parts) {
        return sha256(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
    }
}
