package dev.levain.devstack.simulator.square;

import java.nio.charset.StandardCharsets;

/**
 * One notification as Square sends it: the body and its {@code x-square-hmacsha256-signature}, fixed
 * once made, so every retry and duplicate delivery carries the same bytes.
 */
public record SquareWebhook(String eventId, String type, byte[] body, String signature) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
