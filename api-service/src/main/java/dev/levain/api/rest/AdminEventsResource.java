package dev.levain.api.rest;

import dev.levain.api.repository.RejectedEventRepository;
import dev.levain.api.security.Roles;
import dev.levain.api.service.InvalidQueryException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin views of the pipeline's raw material: the events the normalizer refused. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminEventsResource {

    static final int MAX_LIMIT = 500;

    private final RejectedEventRepository rejected;

    public AdminEventsResource(RejectedEventRepository rejected) {
        this.rejected = rejected;
    }

    @GET
    @Path("/rejected-events")
    @Operation(summary = "Events the normalizer refused, newest first, with the reason; page with before_id.")
    public List<RejectedEventRepository.Rejected> rejectedEvents(@RestQuery("before_id") Long beforeId,
                                                                 @RestQuery Integer limit,
                                                                 @RestQuery("include_replayed") boolean includeReplayed) {
        return rejected.page(beforeId == null ? Long.MAX_VALUE : beforeId, limit(limit), includeReplayed);
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }
}
