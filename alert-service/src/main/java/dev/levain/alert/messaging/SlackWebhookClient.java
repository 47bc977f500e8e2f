package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Posts Block Kit messages to the Slack incoming webhook. */
@ApplicationScoped
public class SlackWebhookClient {

    private static final int MAX_DETAIL = 500;

    private final AlertConfig config;
    private final HttpClient http;

    public SlackWebhookClient(AlertConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.slack().timeout()).build();
    }

    public String webhookUrl() {
        return config.slack().webhookUrl().orElseThrow(() -> new IllegalStateException("No Slack webhook configured"));
    }

    public DeliveryResult post(String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl()))
                .timeout(config.slack().timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return DeliveryResult.accepted(response.statusCode());
            }
            return DeliveryResult.failed(response.statusCode(), retryAfter(response),
                    "Slack answered " + response.statusCode() + ": " + shorten(response.body()));
        } catch (IOException e) {
            return DeliveryResult.failed(null, Optional.empty(), "Slack unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.failed(null, Optional.empty(), "Interrupted");
        }
    }

    /** Slack sends seconds; an HTTP date is not used by Slack and is ignored. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static String shorten(String body) {
        return body == null ? "" : body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) : body;
    }
}
