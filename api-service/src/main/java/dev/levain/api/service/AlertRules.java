package dev.levain.api.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * alert-service's rules, managed through its admin API: alert-service validates and stores them,
 * api-service only lets admins reach them with their JWT.
 */
@ApplicationScoped
public class AlertRules {

    private static final String RULES = "api/v1/alerts/rules";

    private final DownstreamApis downstream;

    public AlertRules(DownstreamApis downstream) {
        this.downstream = downstream;
    }

    /** A page of rules; page and size as alert-service pages them (its defaults when null). */
    public DownstreamReply list(Integer page, Integer size) {
        StringBuilder query = new StringBuilder();
        if (page != null) {
            query.append("page=").append(page);
        }
        if (size != null) {
            query.append(query.isEmpty() ? "" : "&").append("size=").append(size);
        }
        return downstream.alert().send("GET", query.isEmpty() ? RULES : RULES + "?" + query, null);
    }

    public DownstreamReply create(String json) {
        return downstream.alert().send("POST", RULES, orEmpty(json));
    }

    public DownstreamReply get(long id) {
        return downstream.alert().send("GET", RULES + "/" + id, null);
    }

    public DownstreamReply replace(long id, String json) {
        return downstream.alert().send("PUT", RULES + "/" + id, orEmpty(json));
    }

    /** Disables the rule; alert-service keeps it for the history of its alerts. */
    public DownstreamReply disable(long id) {
        return downstream.alert().send("DELETE", RULES + "/" + id, null);
    }

    public DownstreamReply enable(long id) {
        return downstream.alert().send("POST", RULES + "/" + id + "/enable", null);
    }

    /** An empty body becomes an empty object, so alert-service answers which fields are missing. */
    private static String orEmpty(String json) {
        return json == null || json.isBlank() ? "{}" : json;
    }
}
