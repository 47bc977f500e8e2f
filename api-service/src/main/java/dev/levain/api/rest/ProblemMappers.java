package dev.levain.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.levain.api.service.BusyException;
import dev.levain.api.service.DownstreamUnavailableException;
import dev.levain.api.service.ForbiddenStoreException;
import dev.levain.api.service.InvalidQueryException;
import dev.levain.api.service.UnknownStoreException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps query, access and request failures to problem+json responses: every error of the service has a body. */
public class ProblemMappers {

    static final String PROBLEMS = "https://levain.dev/problems/";

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

    /** Too many expensive requests at once, or a query past its statement timeout: come back after Retry-After. */
    @ServerExceptionMapper
    public Response busy(BusyException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return Response.fromResponse(new Problem(PROBLEMS + "busy", "Busy, try again shortly", 503, e.getMessage(),
                null).toResponse()).header(HttpHeaders.RETRY_AFTER, seconds).build();
    }

    // --- Admin endpoints that call other services (replay, alert rules) ---

    /** Another service is not configured, not reachable, too slow, or refuses our token: never the caller's fault. */
    @ServerExceptionMapper
    public Response downstreamUnavailable(DownstreamUnavailableException e) {
        return new Problem(PROBLEMS + "downstream-unavailable", "Downstream service unavailable", e.reason().status(),
                e.getMessage(), null).toResponse();
    }

    // --- Request bodies, and requests JAX-RS refuses before any resource runs ---

    @ServerExceptionMapper
    public Response tooLarge(BodyTooLargeException e) {
        return BodyProblems.tooLarge(e.limit()).toResponse();
    }

    /** A field of the wrong type; mapped here rather than by Quarkus' own mapper, which answers plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e) {
        return unreadableBody(e);
    }

    /** A body that is not JSON, or a field of the wrong type (named by its JSON path). */
    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        return BodyProblems.tooLarge(e).orElseGet(() -> BodyProblems.unreadable(e)).toResponse();
    }

    /**
     * Quarkus wraps an unreadable JSON body in a bare 400, and JAX-RS answers a media type, method or path it cannot
     * serve (415, 405, 404, ...) with no body: all of them get problem+json, their headers (Allow, ...) kept.
     */
    @ServerExceptionMapper
    public Response rejectedRequest(WebApplicationException e, ContainerRequestContext request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableBody(json);
        }
        Response refused = e.getResponse();
        if (refused.hasEntity() || refused.getStatus() < 400) {
            return refused;
        }
        // about:blank: the status says it all (RFC 9457); the detail says what of the request it was about.
        String reason = refused.getStatusInfo().getReasonPhrase();
        Problem problem = new Problem("about:blank", reason, refused.getStatus(),
                refusal(refused.getStatus(), reason, request), null);
        return Response.fromResponse(refused).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String refusal(int status, String reason, ContainerRequestContext request) {
        return switch (status) {
            case 415 -> "The body's media type (" + mediaType(request.getMediaType()) + ") is not one this endpoint "
                    + "reads; send application/json";
            case 405 -> request.getMethod() + " is not allowed on " + request.getUriInfo().getPath();
            case 406 -> "This endpoint cannot answer in a media type the Accept header allows; it answers "
                    + "application/json";
            case 404 -> "Nothing here at " + request.getUriInfo().getPath();
            default -> reason;
        };
    }

    private static String mediaType(MediaType type) {
        return type == null ? "none given" : type.getType() + "/" + type.getSubtype();
    }
}
