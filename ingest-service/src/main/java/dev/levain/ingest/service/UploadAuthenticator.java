package dev.levain.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Checks the bearer token of a file upload. Uploads are made by people and tools, not signed by a
 * machine: a body of hundreds of megabytes is streamed and published before its end could be checked.
 */
@ApplicationScoped
public class UploadAuthenticator {

    private static final String BEARER = "Bearer ";

    /** Throws {@link NotAuthenticatedException} unless {@code authorization} carries one of {@code tokens}. */
    public void verify(String authorization, Optional<List<String>> tokens) {
        List<String> usable = tokens.orElse(List.of()).stream().filter(t -> !t.isBlank()).toList();
        if (usable.isEmpty()) {
            throw new NotAuthenticatedException("No upload token is configured; every upload is refused");
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw new NotAuthenticatedException("An Authorization: Bearer <upload token> header is required");
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String token : usable) {
            // No early exit: every token is compared, in constant time.
            match |= MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given);
        }
        if (!match) {
            throw new NotAuthenticatedException("The upload token is not valid");
        }
    }
}
