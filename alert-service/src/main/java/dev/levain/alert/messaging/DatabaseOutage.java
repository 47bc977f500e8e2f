package dev.levain.alert.messaging;

import java.sql.SQLException;
import java.util.Set;

/** Tells the database being away (it passes) from a failure the same record would always cause. */
final class DatabaseOutage {

    // SQLSTATE classes a record's own content causes: data exception, integrity constraint violation.
    private static final Set<String> PERMANENT_SQL_CLASSES = Set.of("22", "23");

    private DatabaseOutage() {
    }

    /**
     * Whether trying again later may succeed: an SQL failure outside the permanent classes (connection lost,
     * pool exhausted, shutdown, failover) or a failure of the transaction manager (a commit that lost its
     * connection surfaces that way).
     */
    static boolean isOutage(Throwable failure) {
        boolean transactionManager = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.length() < 2 || !PERMANENT_SQL_CLASSES.contains(state.substring(0, 2));
            }
            transactionManager |= cause.getClass().getName().startsWith("jakarta.transaction.");
        }
        return transactionManager;
    }

    /** The innermost message, which names what actually went wrong. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
