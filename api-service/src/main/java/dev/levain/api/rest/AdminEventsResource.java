package dev.levain.api.rest;

import dev.levain.api.repository.RawEventRepository;
import dev.levain.api.repository.RejectedEventRepository;
import dev.levain.api.security.Roles;
import dev.levain.api.service.InvalidQueryException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin views of the pipeline's raw material: the events the normalizer landed, and those it refused. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminEventsResource {

    static final int MAX_LIMIT = 500;

    private final RejectedEventRepository rejected;
    private final RawEventRepository raw;

    public AdminEventsResource(RejectedEventRepository rejected, RawEventRepository raw) {
        this.rejected = rejected;
        this.raw = raw;
    }

    @GET
    @Path("/raw-events")
    @Operation(summary = "Raw events as the normalizer landed them, newest first, payload as text cut to 4 KB; "
            + "filter by source, type and when ingest received them (received_from included, received_to excluded); "
            + "page with before_id.")
    public List<RawEventRepository.Raw> rawEvents(@RestQuery String source, @RestQuery String type,
                                                  @RestQuery("received_from") String receivedFrom,
                                                  @RestQuery("received_to") String receivedTo,
                                                  @RestQuery("before_id") String beforeId,
                                                  @RestQuery String limit) {
        OffsetDateTime from = instant(receivedFrom, "received_from");
        OffsetDateTime to = instant(receivedTo, "received_to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidQueryException("received_from", "must be before received_to (" + receivedFrom
                    + " is not before " + receivedTo + ")");
        }
        return raw.page(new RawEventRepository.Filter(blankToNull(source), blankToNull(type), from, to),
                beforeId(beforeId), limit(limit));
    }

    @GET
    @Path("/rejected-events")
    @Operation(summary = "Events the normalizer refused, newest first, with the reason; page with before_id.")
    public List<RejectedEventRepository.Rejected> rejectedEvents(@RestQuery("before_id") String beforeId,
                                                                 @RestQuery String limit,
                                                                 @RestQuery("include_replayed") String includeReplayed) {
        return rejected.page(beforeId(beforeId), limit(limit), flag(includeReplayed, "include_replayed"));
    }

    static long beforeId(String beforeId) {
        if (beforeId == null || beforeId.isBlank()) {
            return Long.MAX_VALUE;
        }
        long id = whole(beforeId, "before_id");
        if (id < 1) {
            throw new InvalidQueryException("before_id", "must be a positive event id, not " + beforeId);
        }
        return id;
    }

    /** A whole number, or 400 naming the parameter (never JAX-RS's bare 404 for an unconvertible value). */
    static long whole(String value, String parameter) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(parameter, "must be a whole number, not " + value);
        }
    }

    private static boolean flag(String value, String parameter) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (!value.trim().equalsIgnoreCase("true") && !value.trim().equalsIgnoreCase("false")) {
            throw new InvalidQueryException(parameter, "must be true or false, not " + value);
        }
        return Boolean.parseBoolean(value.trim());
    }

    private static OffsetDateTime instant(String value, String parameter) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, "must be an instant with its offset such as 2026-11-27T08:00:00Z, not "
                    + value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 100;
        }
        long value = whole(limit, "limit");
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return (int) value;
    }
}
