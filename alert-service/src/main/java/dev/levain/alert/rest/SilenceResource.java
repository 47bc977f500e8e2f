package dev.levain.alert.rest;

import dev.levain.alert.service.Page;
import dev.levain.alert.service.Silence;
import dev.levain.alert.service.SilenceRequest;
import dev.levain.alert.service.SilenceService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Admin API of silences: mute a rule and/or a store until a time; DELETE ends one now. */
@Path("/api/v1/alerts/silences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SilenceResource {

    private final SilenceService silences;

    public SilenceResource(SilenceService silences) {
        this.silences = silences;
    }

    @POST
    public Response create(SilenceRequest request) {
        Silence silence = silences.create(request);
        return Response.created(URI.create("/api/v1/alerts/silences/" + silence.id())).entity(silence).build();
    }

    @GET
    public Page<Silence> list(@QueryParam("page") @DefaultValue("1") int page,
                              @QueryParam("size") @DefaultValue(Paging.DEFAULT_SIZE) int size) {
        Paging.check(page, size);
        return silences.list(page, size);
    }

    @DELETE
    @Path("/{id}")
    public Silence expire(@PathParam("id") long id) {
        return silences.expire(id);
    }
}
