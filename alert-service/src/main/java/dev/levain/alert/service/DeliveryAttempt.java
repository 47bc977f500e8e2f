package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** One try to deliver a notification: {@code sent}, or {@code retry} with why. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryAttempt(long id, long notificationId, int attempt, Instant attemptedAt, String outcome,
                              Integer statusCode, String detail) {
}
