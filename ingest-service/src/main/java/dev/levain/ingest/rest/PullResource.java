package dev.levain.ingest.rest;

import dev.levain.ingest.service.pull.PullScheduler;
import dev.levain.ingest.service.pull.PullStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.NoSuchElementException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The scheduled pulls of this deployment: their state, and a way to run one now. */
@Path("/api/v1/ingest/pulls")
@Produces(MediaType.APPLICATION_JSON)
public class PullResource {

    private final PullScheduler scheduler;

    public PullResource(PullScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @GET
    @Operation(summary = "Each pull job: cursor, last success, last failure, failures in a row, next attempt")
    public List<PullStatus> statuses() {
        return scheduler.statuses();
    }

    @POST
    @Path("/{job}/run")
    @Operation(summary = "Run one pull job now; answers its status afterwards (last_error says why it failed)")
    public PullStatus runNow(@PathParam("job") String job) {
        try {
            return scheduler.runNow(job);
        } catch (NoSuchElementException e) {
            throw new NotFoundException(e.getMessage());
        }
    }
}
