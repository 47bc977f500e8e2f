package dev.levain.api.support;

import dev.levain.devstack.launcher.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Bearer tokens for tests, signed with a key pair api-service is given by {@link ApiTestResource}. */
public final class TestTokens {

    private static final ApiTokens TRUSTED = ApiTokens.in(Path.of("target", "test-jwt", "trusted"));
    private static final ApiTokens FOREIGN = ApiTokens.in(Path.of("target", "test-jwt", "foreign"));

    private TestTokens() {
    }

    static Path publicKeyFile() {
        return TRUSTED.publicKeyFile().toAbsolutePath();
    }

    public static String admin() {
        return TRUSTED.issue("owner", "admin", List.of(), Duration.ofMinutes(30));
    }

    /** A viewer limited to {@code stores}, or seeing every store when none is given. */
    public static String viewer(String... stores) {
        return TRUSTED.issue("employee", "viewer", List.of(stores), Duration.ofMinutes(30));
    }

    /** A well-signed admin token that expired ten minutes ago (beyond the clock skew allowed). */
    public static String expiredAdmin() {
        Instant now = Instant.now();
        return TRUSTED.issue("owner", "admin", List.of(), now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(10)));
    }

    /** An admin token signed with a key api-service does not trust. */
    public static String foreignAdmin() {
        return FOREIGN.issue("intruder", "admin", List.of(), Duration.ofMinutes(30));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
