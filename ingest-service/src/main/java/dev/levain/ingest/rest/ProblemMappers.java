package dev.levain.ingest.rest;

import dev.levain.events.signature.SignatureException;
import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.NotAuthenticatedException;
import dev.levain.ingest.service.PayloadTooLargeException;
import dev.levain.ingest.service.PublishFailedException;
import dev.levain.ingest.service.SourceDisabledException;
import dev.levain.ingest.service.UpstreamUnavailableException;
import dev.levain.ingest.service.VersionConflictException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps ingest failures to problem+json responses. */
public class ProblemMappers {

    /** The problem type of every 413, whichever limit the body passed. */
    static final String TOO_LARGE = "https://levain.dev/problems/too-large";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return new Problem("https://levain.dev/problems/invalid-input", "Invalid input", 400,
                e.getMessage(), e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response versionConflict(VersionConflictException e) {
        return new Problem("https://levain.dev/problems/version-conflict", "Version already accepted with other content",
                409, e.getMessage(), e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response badSignature(SignatureException e) {
        LOG.warnf("Refusing unauthenticated webhook: %s", e.getMessage());
        return new Problem("https://levain.dev/problems/bad-signature", "Webhook not authenticated", 401,
                e.getMessage(), null).toResponse();
    }

    @ServerExceptionMapper
    public Response notAuthenticated(NotAuthenticatedException e) {
        Response problem = new Problem("https://levain.dev/problems/not-authenticated", "Not authenticated", 401,
                e.getMessage(), null).toResponse();
        return Response.fromResponse(problem).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response sourceDisabled(SourceDisabledException e) {
        return new Problem("https://levain.dev/problems/source-not-served", "Source not served here", 404,
                e.getMessage(), null).toResponse();
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e) {
        return new Problem(TOO_LARGE, "Payload too large", 413, e.getMessage(), null).toResponse();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpHeaders headers) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return new Problem("https://levain.dev/problems/unsupported-media-type", "Unsupported media type", 415,
                "This endpoint does not take a body of type " + (type == null ? "(none)" : type)
                        + "; /q/openapi says what each endpoint takes", null).toResponse();
    }

    @ServerExceptionMapper
    public Response publishFailed(PublishFailedException e) {
        LOG.warnf(e, "Refusing input: %s", e.getMessage());
        return unavailable("Event store unavailable", e.getMessage() + ". What was not acknowledged was not accepted; retry later.");
    }

    @ServerExceptionMapper
    public Response ledgerUnavailable(LedgerUnavailableException e) {
        LOG.warnf(e, "Refusing input: %s", e.getMessage());
        return unavailable("Ingest database unavailable", "The input could not be stored durably; nothing was accepted. Retry later.");
    }

    @ServerExceptionMapper
    public Response upstreamUnavailable(UpstreamUnavailableException e) {
        LOG.warnf("Refusing input: %s", e.getMessage());
        return unavailable("Source API unavailable", e.getMessage()
                + ". Nothing was accepted; the sender's retry will fetch it again.");
    }

    private static Response unavailable(String title, String detail) {
        Response problem = new Problem("https://levain.dev/problems/unavailable", title, 503, detail, null)
                .toResponse();
        return Response.fromResponse(problem).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
