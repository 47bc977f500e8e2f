package dev.levain.ingest.config;

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

    /** Sales exports uploaded as CSV (tokens and size limit: {@link IngestConfig#uploads()}). */
    interface Csv {

        /** Time zone of date-times written without an offset in an export. */
        @WithDefault("Europe/Paris")
        ZoneId defaultTimezone();
    }
}
