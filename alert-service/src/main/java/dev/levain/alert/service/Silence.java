package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** Mutes a rule, a store, or a rule in a store, until a time. Alerts still change state; nothing is sent. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Silence(long id, Long ruleId, String storeCode, Instant until, String reason, Instant createdAt) {
}
