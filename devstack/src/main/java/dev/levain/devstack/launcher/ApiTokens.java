package dev.levain.devstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Signs api-service bearer tokens (RS256 JWTs) for local runs, tests and benchmarks, with a key pair
 * kept in a folder of the run: production tokens come from the business's identity provider, and
 * api-service only ever holds the public key.
 */
public final class ApiTokens {

    public static final String ISSUER = "levain";
    public static final String AUDIENCE = "levain-api";

    private final PrivateKey privateKey;
    private final Path publicKeyFile;

    private ApiTokens(PrivateKey privateKey, Path publicKeyFile) {
        this.privateKey = privateKey;
        this.publicKeyFile = publicKeyFile;
    }

    /** The key pair in {@code dir}, made there on first use (private.pem readable by the owner only). */
    public static synchronized ApiTokens in(Path dir) {
        Path privateFile = dir.resolve("private.pem");
        Path publicFile = dir.resolve("public.pem");
        try {
            if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Files.createDirectories(dir);
                Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Path temporary = Files.createTempFile(dir, "private", ".tmp");
                Files.writeString(temporary, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.move(temporary, privateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            String body = Files.readString(privateFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            return new ApiTokens(key, publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the API signing keys in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the API signing keys in " + dir, e);
        }
    }

    /** The PEM file api-service verifies signatures with. */
    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** The environment that makes api-service trust these tokens. */
    public Map<String, String> apiEnvironment() {
        return Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKeyFile.toAbsolutePath().toString());
    }

    /** A token for {@code role} ("admin" or "viewer"), limited to {@code stores} when not empty, valid for {@code ttl}. */
    public String issue(String subject, String role, List<String> stores, Duration ttl) {
        Instant now = Instant.now();
        return issue(subject, role, stores, now, now.plus(ttl));
    }

    /** A token with explicit times, so tests can make expired ones. */
    public String issue(String subject, String role, List<String> stores, Instant issuedAt, Instant expiresAt) {
        StringBuilder claims = new StringBuilder("{")
                .append("\"iss\":").append(quote(ISSUER))
                .append(",\"aud\":").append(quote(AUDIENCE))
                .append(",\"sub\":").append(quote(subject))
                .append(",\"upn\":").append(quote(subject))
                .append(",\"groups\":[").append(quote(role)).append(']')
                .append(",\"iat\":").append(issuedAt.getEpochSecond())
                .append(",\"exp\":").append(expiresAt.getEpochSecond())
                .append(",\"jti\":").append(quote(UUID.randomUUID().toString()));
        if (!stores.isEmpty()) {
            claims.append(",\"stores\":[")
                    .append(stores.stream().map(ApiTokens::quote).collect(Collectors.joining(",")))
                    .append(']');
        }
        claims.append('}');
        String signingInput = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims.toString());
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign an API token", e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
