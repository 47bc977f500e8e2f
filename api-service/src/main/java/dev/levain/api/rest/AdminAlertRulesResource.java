package dev.levain.api.rest;

import dev.levain.api.security.Roles;
import dev.levain.api.service.AlertRules;
import dev.levain.api.service.InvalidQueryException;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Alert rules, kept by alert-service: its rules API behind an admin's JWT (bodies as alert-service/README.md gives them). */
@Path("/api/v1/admin/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminAlertRulesResource {

    private static final String DOWNSTREAM = "/api/v1/alerts/rules";
    private static final String OURS = "/api/v1/admin/alert-rules";

    private final AlertRules rules;

    public AdminAlertRulesResource(AlertRules rules) {
        this.rules = rules;
    }

    @GET
    @Operation(summary = "A page of alert rules (page from 1, size up to 200).")
    public Response list(@RestQuery String page, @RestQuery String size) {
        return DownstreamResponses.of(rules.list(number(page, "page"), number(size, "size")));
    }

    private static Integer number(String value, String parameter) {
        if (value == null || value.isBlank()) {
            return null;
        }
        long number = AdminEventsResource.whole(value, parameter);
        if (number < 1 || number > Integer.MAX_VALUE) {
            throw new InvalidQueryException(parameter, "must be a positive whole number, not " + value);
        }
        return (int) number;
    }

    @POST
    @Operation(summary = "Creates an alert rule; 201 with its Location, or 400 naming the fields alert-service refused.")
    public Response create(String rule) {
        return DownstreamResponses.of(rules.create(rule), DOWNSTREAM, OURS);
    }

    @GET
    @Path("/{id}")
    public Response get(@RestPath long id) {
        return DownstreamResponses.of(rules.get(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replaces an alert rule.")
    public Response replace(@RestPath long id, String rule) {
        return DownstreamResponses.of(rules.replace(id, rule));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Disables an alert rule (kept for the history of its alerts); answers the rule.")
    public Response disable(@RestPath long id) {
        return DownstreamResponses.of(rules.disable(id));
    }

    @POST
    @Path("/{id}/enable")
    @Operation(summary = "Enables a disabled alert rule again.")
    public Response enable(@RestPath long id) {
        return DownstreamResponses.of(rules.enable(id));
    }
}
