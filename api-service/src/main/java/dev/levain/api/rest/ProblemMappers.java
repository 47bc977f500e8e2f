package dev.levain.api.rest;

import dev.levain.api.service.DownstreamUnavailableException;
import dev.levain.api.service.ForbiddenStoreException;
import dev.levain.api.service.InvalidQueryException;
import dev.levain.api.service.UnknownStoreException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps query and access failures to problem+json responses. */
public class ProblemMappers {

    private static final String PROBLEMS = "https://levain.dev/problems/";

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return new Problem(PROBLEMS + "invalid-query", "Invalid query", 400,
                e.parameter() + " " + e.getMessage(), e.parameter()).toResponse();
    }

    @ServerExceptionMapper
    public Response unknownStore(UnknownStoreException e) {
        return new Problem(PROBLEMS + "unknown-store", "Unknown store", 404, e.getMessage(), "store").toResponse();
    }

    @ServerExceptionMapper
    public Response forbiddenStore(ForbiddenStoreException e) {
        return new Problem(PROBLEMS + "forbidden-store", "Store not allowed", 403, e.getMessage(), "store")
                .toResponse();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated() {
        return Response.fromResponse(new Problem(PROBLEMS + "unauthenticated", "Unauthenticated", 401,
                        "A valid bearer token (signed, for this audience, not expired) is required", null).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return new Problem(PROBLEMS + "forbidden", "Forbidden", 403,
                "Your role may not use this endpoint", null).toResponse();
    }

    // --- Admin endpoints that call other services (replay, alert rules) ---

    /** Another service is not configured, not reachable, too slow, or refuses our token: never the caller's fault. */
    @ServerExceptionMapper
    public Response downstreamUnavailable(DownstreamUnavailableException e) {
        return new Problem(PROBLEMS + "downstream-unavailable", "Downstream service unavailable", e.reason().status(),
                e.getMessage(), null).toResponse();
    }
}
