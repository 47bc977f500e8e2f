package dev.levain.ingest.rest;

import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.PublishFailedException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps ingest failures to problem+json responses. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return new Problem("https://levain.dev/problems/invalid-input", "Invalid input", 400,
                e.getMessage(), e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response publishFailed(PublishFailedException e) {
        LOG.warnf(e, "Refusing input: %s", e.getMessage());
        Response problem = new Problem("https://levain.dev/problems/broker-unavailable", "Event store unavailable",
                503, "The event could not be stored durably; nothing was accepted. Retry later.", null).toResponse();
        return Response.fromResponse(problem).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
