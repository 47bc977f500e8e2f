package dev.levain.events.signature;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Levain's webhook signature (DESIGN.md §5): header {@code Levain-Signature: t=<unix seconds>,v1=<hex>}
 * where v1 = HMAC-SHA256(secret, t + "." + raw body). The timestamp inside the signed bytes and the
 * tolerance window stop replays of an old, validly signed request.
 */
public final class TimestampedSignature {

    public static final String HEADER = "Levain-Signature";

    private TimestampedSignature() {
    }

    /** The header value a sender puts on {@code body} sent at {@code at}. */
    public static String sign(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
    }

    /**
     * Checks {@code header} against {@code body} with any of {@code secrets} (several while a secret is
     * rotated); throws {@link SignatureException} saying what is wrong.
     */
    public static void verify(String header, byte[] body, List<String> secrets, Duration tolerance, Instant now) {
        if (header == null || header.isBlank()) {
            throw new SignatureException("Missing " + HEADER + " header");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                timestamp = parseTimestamp(kv[1]);
            } else if (kv[0].equals("v1")) {
                // A sender rotating its secret signs with both: any one matching is enough.
                byte[] signature = parseHex(kv[1]);
                if (signature != null) {
                    signatures.add(signature);
                }
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw new SignatureException(HEADER + " must read t=<unix seconds>,v1=<hex HMAC-SHA256>");
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (skew > tolerance.toSeconds()) {
            throw new SignatureException("Signature timestamp is " + skew + " s away from now; the tolerance is "
                    + tolerance.toSeconds() + " s");
        }
        for (String secret : secrets) {
            byte[] expected = hmac(secret, timestamp, body);
            for (byte[] signature : signatures) {
                if (MessageDigest.isEqual(expected, signature)) {
                    return;
                }
            }
        }
        throw new SignatureException("Signature does not match the body");
    }

    private static Long parseTimestamp(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] parseHex(String value) {
        try {
            return HexFormat.of().parseHex(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hmac(String secret, long timestamp, byte[] body) {
        Mac mac = Hmac.sha256(secret);
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return mac.doFinal(body);
    }

    /** HMAC-SHA256 keyed with a UTF-8 secret. */
    static final class Hmac {

        private Hmac() {
        }

        static Mac sha256(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
            }
        }
    }
}
