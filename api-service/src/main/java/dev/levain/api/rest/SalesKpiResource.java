package dev.levain.api.rest;

import dev.levain.api.service.DailySalesReport;
import dev.levain.api.service.SalesKpiService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/** Sales KPIs for dashboards. */
@Path("/api/v1/kpis/sales")
@Produces(MediaType.APPLICATION_JSON)
public class SalesKpiResource {

    private final SalesKpiService kpis;

    public SalesKpiResource(SalesKpiService kpis) {
        this.kpis = kpis;
    }

    /** Per store and store-local business day: net sales, transactions, average ticket. */
    @GET
    @Path("/daily")
    public DailySalesReport daily(@RestQuery String store, @RestQuery String from, @RestQuery String to) {
        return kpis.daily(store, from, to);
    }
}
