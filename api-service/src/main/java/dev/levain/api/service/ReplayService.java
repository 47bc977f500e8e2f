package dev.levain.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Asks normalize-service to normalize landed or rejected events again, after checking the request. */
@ApplicationScoped
public class ReplayService {

    private final DownstreamApis downstream;
    private final ObjectMapper json;

    public ReplayService(DownstreamApis downstream, ObjectMapper json) {
        this.downstream = downstream;
        this.json = json;
    }

    /** Replays the landed raw events the request selects (all of them when it selects nothing). */
    public DownstreamReply replayLanded(ReplayRequest request) {
        ReplayRequest body = request == null ? ReplayRequest.EVERYTHING : request;
        OffsetDateTime from = instant(body.from(), "from");
        OffsetDateTime to = instant(body.to(), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidQueryException("from", "must be before to (" + body.from() + " is not before " + body.to() + ")");
        }
        // Sent as UTC instants, the form normalize-service parses.
        ReplayRequest normalized = new ReplayRequest(body.source(), body.type(),
                from == null ? null : from.toInstant().toString(), to == null ? null : to.toInstant().toString(),
                body.reasonContains());
        return downstream.normalize().send("POST", "api/v1/normalize/replay", write(normalized));
    }

    /** Replays rejected events, optionally of one type or whose reason contains a text. */
    public DownstreamReply replayRejected(ReplayRequest request) {
        ReplayRequest body = request == null ? ReplayRequest.EVERYTHING : request;
        if (body.source() != null || body.from() != null || body.to() != null) {
            throw new InvalidQueryException(body.source() != null ? "source" : body.from() != null ? "from" : "to",
                    "is not a filter of replay-rejected, which takes type and reason_contains only");
        }
        return downstream.normalize().send("POST", "api/v1/normalize/replay-rejected", write(body));
    }

    private static OffsetDateTime instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(field, "must be an instant such as 2026-11-27T08:00:00Z, not " + value);
        }
    }

    private String write(ReplayRequest body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a replay request", e);
        }
    }
}
