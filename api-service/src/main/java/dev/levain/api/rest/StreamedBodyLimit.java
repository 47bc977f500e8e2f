package dev.levain.api.rest;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Reads every request body through {@link BodyLimit}, which stops it past {@code levain.api.max-body-size} (413
 * problem+json): what matters for a body sent without a Content-Length, since a declared one is checked up front.
 */
@Provider
public class StreamedBodyLimit implements ReaderInterceptor {

    // Providers are built before the runtime configuration is read: the limit itself lives in an application bean.
    private final BodyLimit limit;

    public StreamedBodyLimit(BodyLimit limit) {
        this.limit = limit;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(limit.limited(context.getInputStream()));
        return context.proceed();
    }
}
