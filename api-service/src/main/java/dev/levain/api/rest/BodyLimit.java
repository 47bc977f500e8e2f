package dev.levain.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levain.api.config.ApiConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's limit on request bodies ({@code levain.api.max-body-size}), answered 413 problem+json: a request whose
 * Content-Length is over it is refused before a byte of its body is read; a body streamed without a length is
 * stopped once past it ({@link StreamedBodyLimit} hands it the bodies being read).
 */
@ApplicationScoped
public class BodyLimit {

    // Quarkus checks quarkus.http.limits.max-body-size in a route of order -2 and answers 413 with no body; this one
    // runs just before it, with the service's lower limit.
    private static final int BEFORE_QUARKUS_BODY_LIMIT = -3;

    private final long limit;
    private final long drainUpTo;
    private final String problem;

    public BodyLimit(ApiConfig config, ObjectMapper json,
                     @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize outerLimit) {
        this.limit = config.maxBodySize().asLongValue();
        // Past the outer limit Quarkus answers 413 itself, with no body: a refused body is dropped well within it.
        this.drainUpTo = outerLimit.asLongValue() / 2;
        try {
            this.problem = json.writeValueAsString(BodyProblems.tooLarge(limit));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the 413 problem", e);
        }
    }

    void refuseDeclaredLengths(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_BODY_LIMIT).handler(this::check);
    }

    /** {@code body}, failing with {@link BodyTooLargeException} once more than the limit has been read from it. */
    public InputStream limited(InputStream body) {
        return new Limited(body, limit, drainUpTo);
    }

    private void check(RoutingContext context) {
        if (declaredLength(context.request()) > limit) {
            refuse(context);
        } else {
            context.next();
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            // Not ours to judge: the HTTP layer refuses a malformed length on its own.
            return -1;
        }
    }

    private void refuse(RoutingContext context) {
        // The body is left unread on the wire, so the connection cannot carry another request: close it once answered.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(done -> context.request().connection().close())
                .end(problem);
    }

    /** Counts what is read and fails past the limit. */
    private static final class Limited extends FilterInputStream {

        private final long limit;
        private final long drainUpTo;
        private long read;

        Limited(InputStream body, long limit, long drainUpTo) {
            super(body);
            this.limit = limit;
            this.drainUpTo = drainUpTo;
        }

        @Override
        public int read() throws IOException {
            int next = super.read();
            if (next >= 0) {
                count(1);
            }
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = super.read(buffer, offset, length);
            if (count > 0) {
                count(count);
            }
            return count;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long bytes) throws IOException {
            read += bytes;
            if (read > limit) {
                drain();
                throw new BodyTooLargeException(limit);
            }
        }

        /** Reads and drops the rest, so that a sender still writing gets to read the 413 instead of a reset. */
        private void drain() {
            byte[] sink = new byte[8192];
            try {
                for (int count = 0; count >= 0 && read < drainUpTo; count = in.read(sink)) {
                    read += count;
                }
            } catch (IOException e) {
                // The sender is gone or went on too long: it sees the connection end instead.
            }
        }
    }
}
