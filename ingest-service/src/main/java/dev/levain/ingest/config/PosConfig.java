package dev.levain.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Settings of the POS connectors ({@code levain.ingest.pos.*}). */
@ConfigMapping(prefix = "levain.ingest.pos")
public interface PosConfig {

    @WithName("native")
    NativeFormat nativeFormat();

    Csv csv();

    /** Levain's native JSON webhooks. */
    interface NativeFormat {

        /** Secrets a native webhook may be signed with (more than one while rotating); none = all refused. */
        Optional<List<String>> signingSecrets();

        /** Most sales in one batch request. */
        @WithDefault("1000")
        int maxBatchSize();
    }

    /** Sales exports uploaded as CSV. */
    interface Csv {

        /** Largest upload accepted; past it the upload is answered 413. */
        @WithDefault("200M")
        MemorySize maxUploadSize();

        /** Bearer tokens allowed to upload exports (one per person or tool); none = every upload refused. */
        Optional<List<String>> uploadTokens();

        /** Time zone of date-times written without an offset in an export. */
        @WithDefault("Europe/Paris")
        ZoneId defaultTimezone();
    }
}
