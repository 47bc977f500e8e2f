package dev.levain.api.rest;

import dev.levain.api.repository.StoreRepository;
import dev.levain.api.security.Roles;
import dev.levain.api.service.DownstreamApis;
import dev.levain.api.service.DownstreamReply;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Stores' master data, kept by normalize-service (it maps every event with it): its stores API behind an admin's
 * JWT, bodies as normalize-service/README.md gives them.
 */
@Path("/api/v1/admin/stores")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AdminStoresResource {

    private static final String DOWNSTREAM = "api/v1/normalize/stores";

    private final DownstreamApis downstream;
    private final StoreRepository stores;

    public AdminStoresResource(DownstreamApis downstream, StoreRepository stores) {
        this.downstream = downstream;
        this.stores = stores;
    }

    @GET
    @Operation(summary = "Every store's master data: code, name, timezone, currency, opening_hours, aliases, "
            + "edited_at, has_sales (a store with sales keeps its zone and currency).")
    public Response list() {
        return DownstreamResponses.of(downstream.normalize().send("GET", DOWNSTREAM, null));
    }

    @GET
    @Path("/{code}")
    public Response get(@RestPath String code) {
        return DownstreamResponses.of(downstream.normalize().send("GET", DOWNSTREAM + "/" + encoded(code), null));
    }

    @PUT
    @Path("/{code}")
    @Operation(summary = "Creates a store (201) or replaces its master data (200); 400 naming the fields at fault, "
            + "409 when an alias is another store's or a store with sales would change zone or currency.")
    public Response save(@RestPath String code, String store) {
        DownstreamReply reply = downstream.normalize().send("PUT", DOWNSTREAM + "/" + encoded(code),
                store == null || store.isBlank() ? "{}" : store);
        if (reply.status() / 100 == 2) {
            // This replica's KPIs show it at once; the others within their few seconds of kept stores.
            stores.forget();
        }
        return DownstreamResponses.of(reply);
    }

    private static String encoded(String code) {
        return URLEncoder.encode(code, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
