package dev.levain.api.rest;

import dev.levain.api.security.Roles;
import dev.levain.api.service.ReplayRequest;
import dev.levain.api.service.ReplayService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Replays, run by normalize-service with its own admin token: landed raw events, or rejected ones after a fix. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminReplayResource {

    private final ReplayService replays;

    public AdminReplayResource(ReplayService replays) {
        this.replays = replays;
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Normalizes landed raw events again (source, type, from/to when ingest received them; "
            + "all fields optional); answers normalize-service's counts: events, sales, inventory_levels, rejected.")
    public Response replay(ReplayRequest request) {
        return DownstreamResponses.of(replays.replayLanded(request));
    }

    @POST
    @Path("/replay-rejected")
    @Operation(summary = "Normalizes rejected events again (optionally one type, or those whose reason_contains a text).")
    public Response replayRejected(ReplayRequest request) {
        return DownstreamResponses.of(replays.replayRejected(request));
    }
}
