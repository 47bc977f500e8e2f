package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.ExpensiveQueries;
import dev.levain.api.service.Goal;
import dev.levain.api.service.GoalInput;
import dev.levain.api.service.GoalList;
import dev.levain.api.service.GoalProgress;
import dev.levain.api.service.GoalProgressService;
import dev.levain.api.service.GoalService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Business goals (OKRs) and their progress: admins write them, admins and viewers read them. */
@Path("/api/v1/goals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "goals")
public class GoalResource {

    private final GoalService goals;
    private final GoalProgressService progress;
    private final Caller caller;
    private final ExpensiveQueries expensive;

    public GoalResource(GoalService goals, GoalProgressService progress, Caller caller, ExpensiveQueries expensive) {
        this.goals = goals;
        this.progress = progress;
        this.caller = caller;
        this.expensive = expensive;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "The goals the caller may see, newest first (a viewer limited to some stores: only goals over "
            + "those stores).")
    public GoalList list() {
        return goals.list(caller);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "One goal; 404 when unknown or over stores the caller may not see.")
    public Goal get(@RestPath long id) {
        return goals.get(id, caller);
    }

    @GET
    @Path("/{id}/progress")
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "Baseline, target and current value, progress = (current − baseline) / (target − baseline), "
            + "the linear expectation to the deadline and whether the goal is on track, with one point per week or "
            + "month (granularity, default month) since the baseline's end. Values of cost metrics for admins only.")
    public GoalProgress progress(@RestPath long id, @RestQuery String granularity) {
        return expensive.run(() -> progress.progress(id, granularity, caller));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Creates a goal: name, metric (net_sales, average_ticket, transactions, new_customers, "
            + "retention_rate, inventory_value), stores (codes; empty = all), baseline_from, baseline_to, "
            + "target_change_percent (15 = +15%), deadline. 400 problem+json naming the wrong field.")
    public Response create(GoalInput input, UriInfo uri) {
        Goal goal = goals.create(input, caller);
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(goal.id())).build()).entity(goal).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replaces a goal's definition, validated as on creation.")
    public Goal replace(@RestPath long id, GoalInput input) {
        return goals.replace(id, input);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deletes a goal.")
    public Response delete(@RestPath long id) {
        goals.delete(id);
        return Response.noContent().build();
    }
}
