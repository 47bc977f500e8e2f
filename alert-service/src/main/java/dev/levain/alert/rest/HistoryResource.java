package dev.levain.alert.rest;

import dev.levain.alert.service.Alert;
import dev.levain.alert.service.HistoryService;
import dev.levain.alert.service.HistoryService.AlertHistory;
import dev.levain.alert.service.HistoryService.NotificationHistory;
import dev.levain.alert.service.Notification;
import dev.levain.alert.service.Page;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** History: alerts (newest first) with their events, notifications with every delivery attempt. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final HistoryService history;

    public HistoryResource(HistoryService history) {
        this.history = history;
    }

    @GET
    public Page<Alert> alerts(@QueryParam("state") String state, @QueryParam("store") String store,
                              @QueryParam("rule_id") Long ruleId,
                              @QueryParam("page") @DefaultValue("1") int page,
                              @QueryParam("size") @DefaultValue(Paging.DEFAULT_SIZE) int size) {
        Paging.check(page, size);
        return history.alerts(state, store, ruleId, page, size);
    }

    @GET
    @Path("/{id: \\d+}")
    public AlertHistory alert(@PathParam("id") long id) {
        return history.alert(id);
    }

    @GET
    @Path("/notifications")
    public Page<Notification> notifications(@QueryParam("status") String status,
                                            @QueryParam("channel") String channel,
                                            @QueryParam("alert_id") Long alertId,
                                            @QueryParam("page") @DefaultValue("1") int page,
                                            @QueryParam("size") @DefaultValue(Paging.DEFAULT_SIZE) int size) {
        Paging.check(page, size);
        return history.notifications(status, channel, alertId, page, size);
    }

    @GET
    @Path("/notifications/{id}")
    public NotificationHistory notification(@PathParam("id") long id) {
        return history.notification(id);
    }
}
