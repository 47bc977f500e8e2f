package dev.levain.ingest.service;

import dev.levain.events.signature.SignatureException;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Checks {@code Levain-Signature} on webhooks before anything in them is read. */
@ApplicationScoped
public class WebhookAuthenticator {

    private final IngestConfig config;

    public WebhookAuthenticator(IngestConfig config) {
        this.config = config;
    }

    /** Throws {@link SignatureException} (401) unless one of {@code secrets} signed {@code body} recently. */
    public void verify(String connector, String header, byte[] body, Optional<List<String>> secrets) {
        List<String> usable = secrets.orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
        if (usable.isEmpty()) {
            throw new SignatureException("No signing secret is configured for " + connector + "; every webhook is refused");
        }
        TimestampedSignature.verify(header, body, usable, config.signatureTolerance(), Instant.now());
    }
}
