package dev.levain.normalize.service;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Tells failures that will pass (the database is restarting) from failures an event will always cause. */
public final class Failures {

    // SQLSTATE classes: connection exception, insufficient resources, operator intervention
    // (e.g. admin shutdown), transaction rollback (serialization failure, deadlock).
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "40");

    private Failures() {
    }

    /** Whether retrying the same work later may succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                // No SQLSTATE: the pool could not even hand out a connection.
                return sql.getSQLState() == null || TRANSIENT_CLASSES.contains(sql.getSQLState().substring(0, 2));
            }
        }
        return false;
    }

    /** The innermost message, which names what actually went wrong. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
