package dev.levain.ingest.rest;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.service.WebhookAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Reads a {@code Levain-Signature} webhook's body within the webhook limit and checks its signature. */
@ApplicationScoped
public class SignedWebhooks {

    private final WebhookAuthenticator authenticator;
    private final IngestConfig config;

    public SignedWebhooks(WebhookAuthenticator authenticator, IngestConfig config) {
        this.authenticator = authenticator;
        this.config = config;
    }

    /** The body, once it is known to be within the limit (413 otherwise) and signed (401 otherwise). */
    public byte[] read(String connector, String signature, Long contentLength, InputStream stream,
                       Optional<List<String>> secrets) {
        byte[] body = RequestBodies.read(stream, contentLength, config.maxWebhookBodySize().asLongValue());
        authenticator.verify(connector, signature, body, secrets);
        return body;
    }
}
