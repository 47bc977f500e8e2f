package dev.levain.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Settings shared by every connector ({@code levain.ingest.*}). */
@ConfigMapping(prefix = "levain.ingest")
public interface IngestConfig {

    /** The sources this deployment serves; the others' endpoints answer 404 and their pulls do not run. */
    @WithDefault("pos,crm,inventory")
    Set<Source> sources();

    /**
     * Largest webhook body; past it the request is answered 413. Kept under Kafka's 1 MiB record limit
     * (headers included). {@code quarkus.http.limits.max-body-size} is the outer bound of every request and
     * stays above the upload limit.
     */
    @WithDefault("512K")
    MemorySize maxWebhookBodySize();

    /**
     * Largest answer read from an outside API (CRM, inventory, Square): answers are held in memory, so a
     * larger one fails its pull or fetch, naming this limit, as soon as it passes it.
     */
    @WithDefault("16M")
    MemorySize maxUpstreamResponseSize();

    /** File uploads (CSV exports of sales and contacts). */
    Uploads uploads();

    /** Name of the business this deployment serves, in CloudEvents sources of files it imports. */
    @WithDefault("panpan")
    String tenant();

    /** How far a {@code Levain-Signature} timestamp may be from now, either way. */
    @WithDefault("5m")
    Duration signatureTolerance();

    /** How long an accepted event id is remembered to drop redeliveries of it. */
    @WithDefault("P30D")
    Duration dedupeWindow();

    /** Longest wait between two attempts of a failing pull (the wait doubles from the job's interval). */
    @WithDefault("10m")
    Duration pullMaxBackoff();

    /**
     * How long the lease a replica takes to run a pull lasts (renewed every third of it while the pull runs);
     * if the replica dies mid-pull, another runs the job once this has passed.
     */
    @WithDefault("2m")
    Duration pullLease();

    /** File uploads, made by people and tools with a bearer token. */
    interface Uploads {

        /** Bearer tokens allowed to upload files (one per person or tool); none = every upload refused. */
        Optional<List<String>> tokens();

        /** Largest upload accepted; past it the upload is answered 413. */
        @WithDefault("200M")
        MemorySize maxSize();

        /**
         * Where a sales export is kept while it is read twice (deleted when its upload ends); it must hold the
         * largest upload times the uploads running at once. None = {@code java.io.tmpdir}.
         */
        Optional<String> spoolDir();
    }
}
