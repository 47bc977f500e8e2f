package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A replay as normalize-service's {@code POST /api/v1/normalize/replay} takes it; every field optional.
 * {@code from}/{@code to} bound when ingest received the events (instants); replay-rejected uses
 * {@code type} and {@code reason_contains} only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayRequest(String source, String type, String from, String to, String reasonContains) {

    static final ReplayRequest EVERYTHING = new ReplayRequest(null, null, null, null, null);
}
