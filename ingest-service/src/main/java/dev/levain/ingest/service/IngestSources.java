package dev.levain.ingest.service;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.Source;
import jakarta.enterprise.context.ApplicationScoped;

/** Which sources this deployment serves ({@code levain.ingest.sources}). */
@ApplicationScoped
public class IngestSources {

    private final IngestConfig config;

    public IngestSources(IngestConfig config) {
        this.config = config;
    }

    public boolean serves(Source source) {
        return config.sources().contains(source);
    }

    /** Throws {@link SourceDisabledException} (404) when this deployment does not serve {@code source}. */
    public void require(Source source) {
        if (!serves(source)) {
            throw new SourceDisabledException(source);
        }
    }
}
