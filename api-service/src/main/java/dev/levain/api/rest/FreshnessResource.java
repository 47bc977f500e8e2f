package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.Freshness;
import dev.levain.api.service.FreshnessService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How current the model is, for a dashboard's "as of". */
@Path("/api/v1/freshness")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "freshness")
public class FreshnessResource {

    private final FreshnessService freshness;
    private final Caller caller;

    public FreshnessResource(FreshnessService freshness, Caller caller) {
        this.freshness = freshness;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "When ingest received the newest event the KPIs reflect (a viewer limited to some stores: "
            + "the newest of its stores), and the normalizer's backlog.")
    public Freshness current() {
        return freshness.current(caller);
    }
}
