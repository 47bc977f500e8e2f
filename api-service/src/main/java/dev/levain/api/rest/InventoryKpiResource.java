package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.ExpensiveQueries;
import dev.levain.api.service.InventoryKpiService;
import dev.levain.api.service.InventoryLevels;
import dev.levain.api.service.InventoryTurnover;
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

/** Inventory KPIs for dashboards (DESIGN.md §4): stock status, turnover, days of inventory. */
@Path("/api/v1/kpis/inventory")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "inventory")
public class InventoryKpiResource {

    private final InventoryKpiService kpis;
    private final KpiQueries queries;
    private final Caller caller;
    private final ExpensiveQueries expensive;

    public InventoryKpiResource(InventoryKpiService kpis, KpiQueries queries, Caller caller, ExpensiveQueries expensive) {
        this.kpis = kpis;
        this.queries = queries;
        this.caller = caller;
        this.expensive = expensive;
    }

    @GET
    @Path("/levels")
    @Operation(summary = "Stock per product × store: on hand, reorder point, status (out ≤ 0, low ≤ reorder point, "
            + "else ok), as of; counts per status per store; the low and out lists. status=ok|low|out keeps only "
            + "those levels. Unit cost and value (on hand × unit cost) for admins only.")
    public InventoryLevels levels(@RestQuery List<String> store, @RestQuery String status) {
        return kpis.levels(queries.stores(store, caller), status, caller);
    }

    @GET
    @Path("/turnover")
    @Operation(summary = "Per store and in total: turnover (COGS / average inventory value) and days of inventory "
            + "(average inventory value / COGS per day), against the previous period. COGS and average inventory "
            + "value for admins only.")
    public InventoryTurnover turnover(@RestQuery List<String> store, @RestQuery String from, @RestQuery String to) {
        KpiQuery query = queries.parse(store, from, to, null, null, caller);
        return expensive.run(query, () -> kpis.turnover(query, caller));
    }
}
