package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.ExpensiveQueries;
import dev.levain.api.service.KpiQueries;
import dev.levain.api.service.KpiQuery;
import dev.levain.api.service.ProductKpiService;
import dev.levain.api.service.TopProducts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Product KPIs for dashboards: the best sellers (DESIGN.md §4). */
@Path("/api/v1/kpis/products")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "products")
public class ProductKpiResource {

    private final ProductKpiService kpis;
    private final KpiQueries queries;
    private final Caller caller;
    private final ExpensiveQueries expensive;

    public ProductKpiResource(ProductKpiService kpis, KpiQueries queries, Caller caller, ExpensiveQueries expensive) {
        this.kpis = kpis;
        this.queries = queries;
        this.caller = caller;
        this.expensive = expensive;
    }

    @GET
    @Path("/top")
    @Operation(summary = "The best-selling products of the period (store business days), by net sales or quantity: "
            + "quantity, gross, net, sale lines and share of net. COGS and gross margin for admins only.")
    public TopProducts top(@RestQuery List<String> store, @RestQuery String from, @RestQuery String to,
                           @RestQuery String limit, @RestQuery String by) {
        KpiQuery query = queries.parse(store, from, to, null, null, caller);
        return expensive.run(query, () -> kpis.top(query, by, limit, caller));
    }
}
