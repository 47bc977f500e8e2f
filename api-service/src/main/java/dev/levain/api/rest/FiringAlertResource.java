package dev.levain.api.rest;

import dev.levain.api.security.Caller;
import dev.levain.api.security.Roles;
import dev.levain.api.service.FiringAlert;
import dev.levain.api.service.FiringAlerts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The alerts firing now, for dashboards: read from alert-service, a viewer's limited to its stores. */
@Path("/api/v1/alerts/firing")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.VIEWER})
@Tag(name = "alerts")
public class FiringAlertResource {

    private final FiringAlerts alerts;
    private final Caller caller;

    public FiringAlertResource(FiringAlerts alerts, Caller caller) {
        this.alerts = alerts;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Alerts firing now, oldest first, with their rule's name and kind: an admin sees every one "
            + "(pipeline alerts too), a viewer its stores' only. 503 problem+json when alert-service is not configured "
            + "or not reachable, 502 when it refuses api-service's token or answers what cannot be read.")
    public List<FiringAlert> firing() {
        return alerts.seenBy(caller);
    }
}
