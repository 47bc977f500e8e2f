package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One episode of a rule's condition for one store and subject (a sku, '' for the store itself,
 * or a pipeline signal): {@code pending → firing → resolved}, or {@code pending → cancelled} when
 * the condition clears before the pending period is over.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Alert(
        long id,
        long ruleId,
        String storeCode,
        String subject,
        String subjectName,
        String state,
        BigDecimal level,
        BigDecimal threshold,
        Instant startedAt,
        Instant firedAt,
        Instant lastNotifiedAt,
        Instant clearSince,
        Instant resolvedAt,
        Instant updatedAt) {

    public static final String PENDING = "pending";
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    public static final String CANCELLED = "cancelled";

    public boolean pending() {
        return PENDING.equals(state);
    }

    public boolean firing() {
        return FIRING.equals(state);
    }

    Alert reading(Reading reading) {
        return new Alert(id, ruleId, storeCode, subject, reading.subjectName() != null ? reading.subjectName() : subjectName,
                state, reading.level(), reading.threshold(), startedAt, firedAt, lastNotifiedAt, clearSince, resolvedAt,
                updatedAt);
    }

    Alert clearSince(Instant since) {
        return new Alert(id, ruleId, storeCode, subject, subjectName, state, level, threshold, startedAt, firedAt,
                lastNotifiedAt, since, resolvedAt, updatedAt);
    }

    Alert fired(Instant now) {
        return new Alert(id, ruleId, storeCode, subject, subjectName, FIRING, level, threshold, startedAt, now, now,
                null, null, now);
    }

    Alert reminded(Instant now) {
        return new Alert(id, ruleId, storeCode, subject, subjectName, state, level, threshold, startedAt, firedAt, now,
                clearSince, resolvedAt, now);
    }

    Alert ended(String endState, Instant now) {
        return new Alert(id, ruleId, storeCode, subject, subjectName, endState, level, threshold, startedAt, firedAt,
                lastNotifiedAt, clearSince, now, now);
    }
}
