package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.DailySalesReport;
import dev.levain.api.service.ExpensiveQueries;
import dev.levain.api.service.KpiQueries;
import dev.levain.api.service.KpiQuery;
import dev.levain.api.service.SalesKpiService;
import dev.levain.api.service.SalesReport;
import dev.levain.api.service.TodaySales;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Sales KPIs for dashboards (DESIGN.md §4). */
@Path("/api/v1/kpis/sales")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "sales")
public class SalesKpiResource {

    private final SalesKpiService kpis;
    private final KpiQueries queries;
    private final Caller caller;
    private final ExpensiveQueries expensive;

    public SalesKpiResource(SalesKpiService kpis, KpiQueries queries, Caller caller, ExpensiveQueries expensive) {
        this.kpis = kpis;
        this.queries = queries;
        this.caller = caller;
        this.expensive = expensive;
    }

    @GET
    @Operation(summary = "Gross, discounts, refunds, net sales, tax, transactions, average ticket, customers and "
            + "anonymous transactions: in total, per channel, per store and per day/week/month, against the previous "
            + "period and the same period last year. COGS and gross margin for admins only.")
    public SalesReport report(@RestQuery List<String> store, @RestQuery String from, @RestQuery String to,
                              @RestQuery String granularity, @RestQuery String timezone, @RestQuery String channel) {
        KpiQuery query = queries.parse(store, from, to, granularity, timezone, caller);
        return expensive.run(query, () -> kpis.report(query, channel, caller));
    }

    @GET
    @Path("/today")
    @Operation(summary = "Each store's business day so far (in its own time zone), beside the same weekday last week.")
    public TodaySales today(@RestQuery List<String> store) {
        return kpis.today(queries.stores(store, caller), caller);
    }

    @GET
    @Path("/daily")
    @Operation(summary = "Per store and business day: net sales, transactions and average ticket; days without sales "
            + "as zeros.")
    public DailySalesReport daily(@RestQuery List<String> store, @RestQuery String from, @RestQuery String to) {
        KpiQuery query = queries.parse(store, from, to, "day", null, caller);
        return expensive.run(query, () -> kpis.daily(query));
    }
}
