package dev.levain.normalize.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void lostConnectionIsTransient() {
        assertThat(Failures.isTransient(new IllegalStateException("upsert failed",
                new SQLException("This connection has been closed.", "08003")))).isTrue();
    }

    @Test
    void poolThatCannotHandOutAConnectionIsTransient() {
        assertThat(Failures.isTransient(new SQLException("Sorry, acquisition timeout!"))).isTrue();
    }

    @Test
    void commitThatLostItsConnectionIsTransientEvenWhenTheSqlCauseIsOnlySuppressed() {
        Exception rollback = new jakarta.transaction.RollbackException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(new SQLException("I/O error", "08006"));
        assertThat(Failures.isTransient(new RuntimeException(rollback))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(
                new jakarta.transaction.RollbackException("no SQL cause at all")))).isTrue();
    }

    @Test
    void constraintViolationAndBadDataArePermanent() {
        assertThat(Failures.isTransient(new IllegalStateException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(Failures.isTransient(new SQLException("numeric field overflow", "22003"))).isFalse();
    }

    @Test
    void brokerTimeoutIsTransient() {
        assertThat(Failures.isTransient(new org.apache.kafka.common.errors.TimeoutException("expired"))).isTrue();
    }

    @Test
    void aBugIsPermanent() {
        assertThat(Failures.isTransient(new NullPointerException())).isFalse();
        assertThat(Failures.rootMessage(new IllegalStateException("outer", new SQLException("inner")))).isEqualTo("inner");
    }
}
