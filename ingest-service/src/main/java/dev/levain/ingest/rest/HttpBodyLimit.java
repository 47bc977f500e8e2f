package dev.levain.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared length is over {@code quarkus.http.limits.max-body-size} with a 413
 * problem+json, just before the HTTP layer would refuse it with an empty 413. Endpoints apply their own,
 * lower limits as they read ({@link RequestBodies}); this is the outer bound of every request.
 */
@ApplicationScoped
public class HttpBodyLimit {

    private final long maxBodySize;
    private final ObjectMapper mapper;

    public HttpBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                         ObjectMapper mapper) {
        this.maxBodySize = maxBodySize.asLongValue();
        this.mapper = mapper;
    }

    void refuseDeclaredOversizedBodies(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkDeclaredLength);
    }

    private void checkDeclaredLength(RoutingContext context) {
        long declared = declaredLength(context);
        if (declared <= maxBodySize) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close");
        // The body is left unread: close once answered rather than read what the sender still sends.
        response.endHandler(done -> context.request().connection().close());
        response.end(Buffer.buffer(problem(declared)));
    }

    private byte[] problem(long declared) {
        Problem problem = new Problem(ProblemMappers.TOO_LARGE, "Payload too large", 413, "The body is " + declared
                + " bytes; no request to this service may be larger than " + maxBodySize + " bytes", null);
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem record always serializes", e);
        }
    }

    /** The Content-Length the request declares; -1 when none (chunked), or unreadable (the HTTP layer refuses that). */
    private static long declaredLength(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
