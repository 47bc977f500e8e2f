package dev.levain.normalize.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Per-key locks for the length of a transaction (PostgreSQL advisory locks), for the few writes
 * that read before they write a row that may not exist yet: a sale or refund seen for the first
 * time, the link between a refund and its sale, a stock level. Two transactions touching other
 * keys never wait on each other. A transaction takes all its keys at once, in one sorted order, so
 * two transactions never wait on each other crosswise for them.
 */
@ApplicationScoped
public class KeyLocks {

    private static final String LOCK = "SELECT pg_advisory_xact_lock(k) FROM unnest(?::bigint[]) AS t(k)";
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** Locks these keys (a kind and the key's parts, e.g. {@code sale|source|id}) until the transaction ends. */
    public void lock(Connection connection, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        long[] hashes = keys.stream().mapToLong(KeyLocks::hash).sorted().distinct().toArray();
        Long[] boxed = new Long[hashes.length];
        for (int i = 0; i < hashes.length; i++) {
            boxed[i] = hashes[i];
        }
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(1, connection.createArrayOf("bigint", boxed));
            try (ResultSet locked = lock.executeQuery()) {
                while (locked.next()) {
                    // Each row is one lock taken, in array order.
                }
            }
        }
    }

    /** The key as one advisory lock id (64-bit FNV-1a): two keys that collide only wait on each other. */
    static long hash(String key) {
        long hash = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** The lock key of a sale or of a refund's sale. */
    public static String sale(String source, String sourceId) {
        return "sale|" + source + "|" + sourceId;
    }

    /** The lock key of a refund. */
    public static String refund(String source, String sourceId) {
        return "refund|" + source + "|" + sourceId;
    }

    /** The lock key of the stock level of a product in a store. */
    public static String level(String storeCode, String sku) {
        return "level|" + storeCode + "|" + sku;
    }
}
