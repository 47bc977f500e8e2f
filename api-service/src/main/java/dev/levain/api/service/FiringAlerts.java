package dev.levain.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alerts firing now, read from alert-service's admin API with api-service's token and named by their rules:
 * for the dashboard (a viewer sees only its stores' alerts) and the sales report.
 */
@ApplicationScoped
public class FiringAlerts {

    /** alert-service's largest page: more alerts firing at once than this is a storm, and the first 200 tell it. */
    private static final String PAGE = "200";

    private final DownstreamApis downstream;
    private final ObjectMapper json;

    public FiringAlerts(DownstreamApis downstream, ObjectMapper json) {
        this.downstream = downstream;
        this.json = json;
    }

    /** Every alert firing, oldest first; {@link DownstreamUnavailableException} when alert-service cannot say. */
    public List<FiringAlert> all() {
        JsonNode alerts = read("api/v1/alerts?state=firing&page=1&size=" + PAGE);
        JsonNode rules = read("api/v1/alerts/rules?page=1&size=" + PAGE);
        Map<Long, JsonNode> ruleById = new HashMap<>();
        rules.path("items").forEach(rule -> ruleById.put(rule.path("id").asLong(), rule));
        List<FiringAlert> firing = new ArrayList<>();
        for (JsonNode alert : alerts.path("items")) {
            long ruleId = alert.path("rule_id").asLong();
            JsonNode rule = ruleById.getOrDefault(ruleId, json.createObjectNode());
            firing.add(new FiringAlert(alert.path("id").asLong(), rule.path("name").asText("rule " + ruleId),
                    rule.path("kind").asText(null), blankToNull(alert.path("store_code").asText(null)), subject(alert),
                    decimal(alert.path("level")), decimal(alert.path("threshold")), instant(alert.path("fired_at"))));
        }
        firing.sort((a, b) -> a.firedAt() == null || b.firedAt() == null ? 0 : a.firedAt().compareTo(b.firedAt()));
        return firing;
    }

    /** The alerts {@code caller} may see: all for an admin; a viewer limited to stores, only those stores' alerts. */
    public List<FiringAlert> seenBy(Caller caller) {
        Optional<Set<String>> limit = caller.storeLimit();
        if (caller.isAdmin() || limit.isEmpty()) {
            return caller.isAdmin() ? all() : all().stream().filter(alert -> alert.store() != null).toList();
        }
        return all().stream().filter(alert -> alert.store() != null && limit.get().contains(alert.store())).toList();
    }

    private JsonNode read(String path) {
        DownstreamReply reply = downstream.alert().send("GET", path, null);
        if (reply.status() != 200) {
            throw new DownstreamUnavailableException(DownstreamUnavailableException.Cause.BAD_ANSWER,
                    "alert-service answered " + reply.status() + " to GET /" + path);
        }
        try {
            return json.readTree(reply.body());
        } catch (IOException e) {
            throw new DownstreamUnavailableException(DownstreamUnavailableException.Cause.BAD_ANSWER,
                    "alert-service answered GET /" + path + " with unreadable JSON");
        }
    }

    private static String subject(JsonNode alert) {
        String name = alert.path("subject_name").asText("");
        return name.isBlank() ? blankToNull(alert.path("subject").asText("")) : name;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant instant(JsonNode value) {
        try {
            return value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BigDecimal decimal(JsonNode value) {
        return value.isNumber() ? value.decimalValue() : null;
    }
}
