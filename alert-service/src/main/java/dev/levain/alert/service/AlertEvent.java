package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/** A firing, reminder or resolution of an alert; {@code silenced} ones were not sent. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlertEvent(long id, long alertId, String kind, BigDecimal level, boolean silenced, Instant occurredAt) {

    public static final String FIRING = "firing";
    public static final String REMINDER = "reminder";
    public static final String RESOLVED = "resolved";
}
