package dev.levain.events.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * Square's webhook signature: header {@code x-square-hmacsha256-signature} = base64 of
 * HMAC-SHA256(signature key, notification URL + raw body).
 */
public final class SquareSignature {

    public static final String HEADER = "x-square-hmacsha256-signature";

    private SquareSignature() {
    }

    /** The header value Square puts on {@code body} delivered to {@code notificationUrl}. */
    public static String sign(String signatureKey, String notificationUrl, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac(signatureKey, notificationUrl, body));
    }

    /** Throws {@link SignatureException} unless {@code header} signs {@code body} for {@code notificationUrl}. */
    public static void verify(String header, byte[] body, String signatureKey, String notificationUrl) {
        if (header == null || header.isBlank()) {
            throw new SignatureException("Missing " + HEADER + " header");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw new SignatureException(HEADER + " is not base64");
        }
        if (!MessageDigest.isEqual(hmac(signatureKey, notificationUrl, body), given)) {
            throw new SignatureException("Signature does not match the notification URL and body");
        }
    }

    private static byte[] hmac(String signatureKey, String notificationUrl, byte[] body) {
        Mac mac = TimestampedSignature.Hmac.sha256(signatureKey);
        mac.update(notificationUrl.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }
}
