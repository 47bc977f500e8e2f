package dev.levain.ingest.config;

import dev.levain.events.Topics;

/** The outside systems ingest serves; a deployment may serve only some ({@code levain.ingest.sources}). */
public enum Source {
    POS(Topics.RAW_POS),
    CRM(Topics.RAW_CRM),
    INVENTORY(Topics.RAW_INVENTORY);

    private final String topic;

    Source(String topic) {
        this.topic = topic;
    }

    /** The raw topic this source's events go to. */
    public String topic() {
        return topic;
    }
}
