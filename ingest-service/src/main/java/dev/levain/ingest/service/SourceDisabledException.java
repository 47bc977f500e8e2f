package dev.levain.ingest.service;

import dev.levain.ingest.config.Source;

/** A request for a source this deployment does not serve. */
public class SourceDisabledException extends RuntimeException {

    public SourceDisabledException(Source source) {
        super("This deployment does not serve the " + source.name().toLowerCase() + " source");
    }
}
