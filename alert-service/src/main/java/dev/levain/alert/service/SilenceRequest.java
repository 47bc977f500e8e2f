package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** A silence as created through the admin API: a rule id and/or a store code, and an end. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SilenceRequest(Long ruleId, String storeCode, Instant until, String reason) {
}
