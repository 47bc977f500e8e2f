package dev.levain.ingest.rest;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.service.UploadAuthenticator;
import dev.levain.ingest.service.pull.PullScheduler;
import dev.levain.ingest.service.pull.PullStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.NoSuchElementException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The scheduled pulls of this deployment: their state, and a way to run one now (operators only). */
@Path("/api/v1/ingest/pulls")
@Produces(MediaType.APPLICATION_JSON)
public class PullResource {

    private final PullScheduler scheduler;
    private final UploadAuthenticator authenticator;
    private final IngestConfig config;

    public PullResource(PullScheduler scheduler, UploadAuthenticator authenticator, IngestConfig config) {
        this.scheduler = scheduler;
        this.authenticator = authenticator;
        this.config = config;
    }

    @GET
    @Operation(summary = "Each pull job: cursor, last success, last failure, failures in a row, next attempt",
            description = "Needs Authorization: Bearer <a levain.ingest.uploads.tokens token>; 401 otherwise.")
    public List<PullStatus> statuses(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authenticator.verify(authorization, config.uploads().tokens());
        return scheduler.statuses();
    }

    @POST
    @Path("/{job}/run")
    @Operation(summary = "Run one pull job now; answers its status afterwards (last_error says why it failed)",
            description = "Needs Authorization: Bearer <a levain.ingest.uploads.tokens token>; 401 otherwise.")
    public PullStatus runNow(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("job") String job) {
        authenticator.verify(authorization, config.uploads().tokens());
        try {
            return scheduler.runNow(job);
        } catch (NoSuchElementException e) {
            throw new NotFoundException(e.getMessage());
        }
    }
}
