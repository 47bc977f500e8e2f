package dev.levain.api.rest;

import dev.levain.api.repository.LineageRepository;
import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.DailySalesLineage;
import dev.levain.api.service.InvalidQueryException;
import dev.levain.api.service.KpiQueries;
import dev.levain.api.service.StoreScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Where a dashboard figure comes from: the raw events behind a store's daily sales (admins only). */
@Path("/api/v1/admin/lineage")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminLineageResource {

    private final LineageRepository lineage;
    private final StoreScope scope;
    private final Caller caller;

    public AdminLineageResource(LineageRepository lineage, StoreScope scope, Caller caller) {
        this.lineage = lineage;
        this.scope = scope;
        this.caller = caller;
    }

    @GET
    @Path("/daily-sales")
    @Operation(summary = "The sales and refunds of a store's business day (its daily net sales) and every raw event "
            + "behind them: counts per source and type, then each event with its Kafka topic, partition and offset.")
    public DailySalesLineage dailySales(@RestQuery String store, @RestQuery String date) {
        if (store == null || store.isBlank()) {
            throw new InvalidQueryException("store", "is required: a store code");
        }
        if (date == null || date.isBlank()) {
            throw new InvalidQueryException("date", "is required: a business date such as 2026-11-27");
        }
        String code = scope.one(store, caller).code();
        LocalDate day = KpiQueries.date("date", date);
        return DailySalesLineage.of(code, day, lineage.dailySales(code, day));
    }
}
