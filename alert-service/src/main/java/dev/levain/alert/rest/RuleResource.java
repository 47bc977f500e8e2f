package dev.levain.alert.rest;

import dev.levain.alert.service.Page;
import dev.levain.alert.service.Rule;
import dev.levain.alert.service.RuleRequest;
import dev.levain.alert.service.RuleService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Admin API of alert rules: create, list, read, replace, disable (DELETE) and enable again. */
@Path("/api/v1/alerts/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {

    private final RuleService rules;

    public RuleResource(RuleService rules) {
        this.rules = rules;
    }

    @POST
    public Response create(RuleRequest request) {
        Rule rule = rules.create(request);
        return Response.created(URI.create("/api/v1/alerts/rules/" + rule.id())).entity(rule).build();
    }

    @GET
    public Page<Rule> list(@QueryParam("page") @DefaultValue("1") int page,
                           @QueryParam("size") @DefaultValue(Paging.DEFAULT_SIZE) int size) {
        Paging.check(page, size);
        return rules.list(page, size);
    }

    @GET
    @Path("/{id}")
    public Rule get(@PathParam("id") long id) {
        return rules.get(id);
    }

    @PUT
    @Path("/{id}")
    public Rule replace(@PathParam("id") long id, RuleRequest request) {
        return rules.replace(id, request);
    }

    /** Disables the rule (kept for the history of its alerts). */
    @DELETE
    @Path("/{id}")
    public Rule disable(@PathParam("id") long id) {
        return rules.setEnabled(id, false);
    }

    @POST
    @Path("/{id}/enable")
    public Rule enable(@PathParam("id") long id) {
        return rules.setEnabled(id, true);
    }
}
