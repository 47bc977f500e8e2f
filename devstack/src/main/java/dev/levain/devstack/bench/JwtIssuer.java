package dev.levain.devstack.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Signs bearer tokens the way Levain's identity provider would (RS256, issuer {@code levain},
 * audience {@code levain-api}, roles in {@code groups}) with a key pair made for one run: the
 * api-service is given the public key as a PEM file ({@code mp.jwt.verify.publickey.location}).
 */
public final class JwtIssuer {

    public static final String ISSUER = "levain";
    public static final String AUDIENCE = "levain-api";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    private JwtIssuer(KeyPair keys) {
        this.keys = keys;
    }

    /** A fresh 2048-bit RSA key pair. */
    public static JwtIssuer generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new JwtIssuer(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make an RSA key pair", e);
        }
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The public key as {@code -----BEGIN PUBLIC KEY-----} PEM (X.509 SubjectPublicKeyInfo). */
    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** A signed token for {@code subject} with these roles, valid for {@code lifetime} from now. */
    public String token(String subject, List<String> groups, Duration lifetime) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"groups\":[%s],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}"
                .formatted(ISSUER, AUDIENCE, subject, subject,
                        groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")),
                        now.getEpochSecond(), now.plus(lifetime).getEpochSecond(), UUID.randomUUID());
        String signed = encode(header) + "." + encode(claims);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
