package dev.levain.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the CRM connector ({@code levain.ingest.crm.*}): the contacts pull and the contact webhooks. */
@ConfigMapping(prefix = "levain.ingest.crm")
public interface CrmConfig {

    /** Base URL of the CRM API, which serves {@code GET <base>/v1/contacts}; unset = no scheduled pull (webhooks and files only). */
    Optional<URI> apiBaseUrl();

    /** Bearer token the CRM API is called with. */
    Optional<String> apiToken();

    /** Time between two pulls while the CRM answers. */
    @WithDefault("5m")
    Duration pullEvery();

    /** Contacts asked for per API request. */
    @WithDefault("100")
    int pageSize();

    /** How far before the cursor each pull starts, to catch updates the CRM stamped late; re-pulled versions are dropped as duplicates. */
    @WithDefault("5m")
    Duration overlap();

    /** How far back the very first pull (no cursor yet) starts. */
    @WithDefault("P30D")
    Duration initialSince();

    /** Longest wait for the CRM to answer one API request (and to connect). */
    @WithDefault("10s")
    Duration timeout();

    Webhook webhook();

    /** Contacts pushed by the CRM. */
    interface Webhook {

        /** Secrets a contact webhook may be signed with (more than one while rotating); none = all refused. */
        Optional<List<String>> signingSecrets();
    }
}
