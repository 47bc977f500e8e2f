package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.CohortReport;
import dev.levain.api.service.CustomerKpiService;
import dev.levain.api.service.CustomerReport;
import dev.levain.api.service.ExpensiveQueries;
import dev.levain.api.service.KpiQueries;
import dev.levain.api.service.KpiQuery;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Customer KPIs for dashboards: acquisition, activity, retention, repeat and cohorts (DESIGN.md §4). */
@Path("/api/v1/kpis/customers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "customers")
public class CustomerKpiResource {

    private final CustomerKpiService kpis;
    private final KpiQueries queries;
    private final Caller caller;
    private final ExpensiveQueries expensive;

    public CustomerKpiResource(CustomerKpiService kpis, KpiQueries queries, Caller caller, ExpensiveQueries expensive) {
        this.kpis = kpis;
        this.queries = queries;
        this.caller = caller;
        this.expensive = expensive;
    }

    @GET
    @Operation(summary = "New, active, retained and repeat customers with retention and repeat rates: in total (each "
            + "customer once), per store and per day/week/month, against the previous period and the same period "
            + "last year.")
    public CustomerReport report(@RestQuery List<String> store, @RestQuery String from, @RestQuery String to,
                                 @RestQuery String granularity, @RestQuery String timezone) {
        KpiQuery query = queries.parse(store, from, to, granularity, timezone, caller);
        return expensive.run(() -> kpis.report(query, caller));
    }

    @GET
    @Path("/cohorts")
    @Operation(summary = "Monthly acquisition cohorts over whole months (from is moved back to its month's first day, "
            + "to forward to its month's last day): each month's new customers and how many of them were active in "
            + "each later month.")
    public CohortReport cohorts(@RestQuery List<String> store, @RestQuery String from, @RestQuery String to) {
        return expensive.run(() -> kpis.cohorts(store, from, to, caller));
    }
}
