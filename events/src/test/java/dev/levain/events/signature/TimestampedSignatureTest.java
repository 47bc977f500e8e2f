package dev.levain.events.signature;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampedSignatureTest {

    private static final byte[] BODY = "{\"sale_id\":\"S-1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    @Test
    void signatureOfTheSameBodyWithinTheWindowIsAccepted() {
        String header = TimestampedSignature.sign("s3cret", NOW.minusSeconds(299), BODY);
        assertThatCode(() -> TimestampedSignature.verify(header, BODY, List.of("s3cret"), TOLERANCE, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void anyOfTheRotatedSecretsIsAccepted() {
        String header = TimestampedSignature.sign("old", NOW, BODY);
        assertThatCode(() -> TimestampedSignature.verify(header, BODY, List.of("new", "old"), TOLERANCE, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void senderRotatingItsSecretMaySignWithBoth() {
        String old = TimestampedSignature.sign("old", NOW, BODY);
        String both = old + ",v1=" + TimestampedSignature.sign("new", NOW, BODY).split("v1=")[1];
        assertThatCode(() -> TimestampedSignature.verify(both, BODY, List.of("new"), TOLERANCE, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void changedBodyIsRefused() {
        String header = TimestampedSignature.sign("s3cret", NOW, BODY);
        byte[] tampered = "{\"sale_id\":\"S-2\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TimestampedSignature.verify(header, tampered, List.of("s3cret"), TOLERANCE, NOW))
                .isInstanceOf(SignatureException.class).hasMessage("Signature does not match the body");
    }

    @Test
    void staleAndFutureTimestampsAreRefused() {
        String stale = TimestampedSignature.sign("s3cret", NOW.minusSeconds(301), BODY);
        String future = TimestampedSignature.sign("s3cret", NOW.plusSeconds(301), BODY);
        assertThatThrownBy(() -> TimestampedSignature.verify(stale, BODY, List.of("s3cret"), TOLERANCE, NOW))
                .hasMessageContaining("301 s away from now");
        assertThatThrownBy(() -> TimestampedSignature.verify(future, BODY, List.of("s3cret"), TOLERANCE, NOW))
                .hasMessageContaining("301 s away from now");
    }

    @Test
    void missingOrMalformedHeaderIsRefused() {
        assertThatThrownBy(() -> TimestampedSignature.verify(null, BODY, List.of("s3cret"), TOLERANCE, NOW))
                .hasMessage("Missing Levain-Signature header");
        assertThatThrownBy(() -> TimestampedSignature.verify("v1=zz", BODY, List.of("s3cret"), TOLERANCE, NOW))
                .hasMessageContaining("must read t=<unix seconds>");
    }

    @Test
    void squareSignatureCoversTheNotificationUrl() {
        String header = SquareSignature.sign("key", "https://levain.example/hook", BODY);
        assertThatCode(() -> SquareSignature.verify(header, BODY, "key", "https://levain.example/hook"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SquareSignature.verify(header, BODY, "key", "https://other.example/hook"))
                .isInstanceOf(SignatureException.class);
    }
}
