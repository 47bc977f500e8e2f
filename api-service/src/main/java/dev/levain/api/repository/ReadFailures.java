package dev.levain.api.repository;

import dev.levain.api.service.BusyException;
import java.sql.SQLException;
import java.time.Duration;

/** What a failed read becomes: 503 with Retry-After when the database cancelled it for taking too long. */
final class ReadFailures {

    /** SQLSTATE query_canceled: statement_timeout (set on every connection of the pool) ran out. */
    private static final String QUERY_CANCELED = "57014";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private ReadFailures() {
    }

    static RuntimeException of(String what, SQLException e) {
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return new BusyException(what + " took longer than the API's statement timeout; try again shortly, or ask "
                    + "for a shorter period", RETRY_AFTER, e);
        }
        return new IllegalStateException(what, e);
    }
}
