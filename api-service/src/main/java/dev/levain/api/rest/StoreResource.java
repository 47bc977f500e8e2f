package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.Store;
import dev.levain.api.service.StoreScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The stores the caller may see. */
@Path("/api/v1/stores")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "stores")
public class StoreResource {

    /** A store as the API shows it. */
    public record StoreView(String code, String name, String timezone, String currency) {
    }

    private final StoreScope scope;
    private final Caller caller;

    public StoreResource(StoreScope scope, Caller caller) {
        this.scope = scope;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The stores the caller may see (all for admins, a viewer's own otherwise).")
    public List<StoreView> stores() {
        return scope.resolve(List.of(), caller).stream()
                .map(store -> new StoreView(store.code(), store.name(), store.timezone().getId(), store.currency()))
                .toList();
    }
}
