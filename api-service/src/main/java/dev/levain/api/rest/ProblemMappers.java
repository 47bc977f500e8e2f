package dev.levain.api.rest;

import dev.levain.api.service.InvalidQueryException;
import dev.levain.api.service.UnknownStoreException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps query failures to problem+json responses. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return new Problem("https://levain.dev/problems/invalid-query", "Invalid query", 400,
                e.parameter() + " " + e.getMessage(), e.parameter()).toResponse();
    }

    @ServerExceptionMapper
    public Response unknownStore(UnknownStoreException e) {
        return new Problem("https://levain.dev/problems/unknown-store", "Unknown store", 404, e.getMessage(), "store")
                .toResponse();
    }
}
