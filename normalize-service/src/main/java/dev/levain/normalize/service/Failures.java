package dev.levain.normalize.service;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;

/** Tells failures that will pass (the database is restarting) from failures an event will always cause. */
public final class Failures {

    // SQLSTATE classes an event's own content causes: data exception, integrity constraint
    // violation. Any other SQL failure is the database's or its setup's, not the event's.
    private static final Set<String> PERMANENT_SQL_CLASSES = Set.of("22", "23");
    // Syntax error or access rule violation: a missing grant, a table or column a half-rolled
    // deploy has not created yet. Our statements are fixed text, so no event causes these.
    private static final String ENVIRONMENT_SQL_CLASS = "42";
    private static final Set<String> CONTENTION_SQL_STATES = Set.of("40P01", "40001");

    private Failures() {
    }

    /**
     * Whether retrying the same work later may succeed: any SQL failure outside the permanent
     * classes (connection lost, pool exhausted, shutdown, deadlock, a missing grant) and any
     * failure of the transaction manager (a commit that lost its connection surfaces that way), a
     * broker that does not acknowledge in time, and another transaction's concurrent write.
     */
    public static boolean isTransient(Throwable failure) {
        boolean transientOutsideSql = false;
        for (Throwable cause : chain(failure)) {
            if (cause instanceof ContentionException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.length() < 2 || !PERMANENT_SQL_CLASSES.contains(state.substring(0, 2));
            }
            transientOutsideSql |= cause.getClass().getName().startsWith("jakarta.transaction.")
                    || cause instanceof RetriableException
                    || cause instanceof io.smallrye.mutiny.TimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException;
        }
        return transientOutsideSql;
    }

    /**
     * Whether two transactions got in each other's way (a deadlock, a serialization failure, a
     * concurrent insert of the same new key): retried at once, it succeeds.
     */
    public static boolean isContention(Throwable failure) {
        for (Throwable cause : chain(failure)) {
            if (cause instanceof ContentionException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                return sql.getSQLState() != null && CONTENTION_SQL_STATES.contains(sql.getSQLState());
            }
        }
        return false;
    }

    /**
     * Whether the database refuses the work for a reason of its setup (insufficient privilege,
     * undefined table or column): consumption pauses until an operator fixes it.
     */
    public static boolean isEnvironment(Throwable failure) {
        for (Throwable cause : chain(failure)) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState() != null && sql.getSQLState().startsWith(ENVIRONMENT_SQL_CLASS);
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

    /** The failure, its causes and the exceptions suppressed along the way, breadth first. */
    private static Iterable<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        Deque<Throwable> queue = new ArrayDeque<>();
        java.util.List<Throwable> ordered = new java.util.ArrayList<>();
        queue.add(failure);
        while (!queue.isEmpty()) {
            Throwable next = queue.poll();
            if (!seen.add(next)) {
                continue;
            }
            ordered.add(next);
            if (next.getCause() != null) {
                queue.add(next.getCause());
            }
            queue.addAll(java.util.List.of(next.getSuppressed()));
        }
        return ordered;
    }
}
