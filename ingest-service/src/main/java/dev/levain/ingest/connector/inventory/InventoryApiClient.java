package dev.levain.ingest.connector.inventory;

import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.InventoryConfig;
import dev.levain.ingest.connector.http.ResponseBodies;
import dev.levain.ingest.service.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** GETs pages of the inventory API with its bearer token, within {@code levain.ingest.inventory.timeout}. */
@ApplicationScoped
public class InventoryApiClient {

    /** One answer: its body, and the media type it says the body is in. */
    public record Answer(String contentType, byte[] body) {

        public boolean isXml() {
            return contentType.contains("xml");
        }
    }

    private final InventoryConfig config;
    private final HttpClient http;
    private final HttpResponse.BodyHandler<byte[]> bodies;

    public InventoryApiClient(InventoryConfig config, IngestConfig ingest) {
        this.config = config;
        this.bodies = ResponseBodies.upTo(ingest.maxUpstreamResponseSize().asLongValue());
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /**
     * GETs {@code path} with {@code query}, asking for {@code accept}; throws {@link InventoryApiException}
     * unless a 2xx answer within {@code levain.ingest.max-upstream-response-size} came complete within the timeout.
     */
    public Answer get(String path, Map<String, String> query, String accept) {
        URI base = config.apiBaseUrl().orElseThrow(
                () -> new InventoryApiException("levain.ingest.inventory.api-base-url is not set"));
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + path + "?" + encode(query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).header("Accept", accept).GET();
        config.apiToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<byte[]> response = send(request.build());
        if (response.statusCode() / 100 != 2) {
            throw new InventoryApiException("Inventory API answered " + response.statusCode() + " to GET " + path);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(accept).toLowerCase();
        return new Answer(contentType.contains("xml") ? RawEvent.XML : contentType.contains("json") ? RawEvent.JSON
                : contentType, response.body());
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, bodies);
        try {
            // Bounds the whole exchange, body included; the request timeout alone stops at the headers.
            return answer.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw tooSlow(request);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                throw tooSlow(request);
            }
            ResponseBodies.tooLarge(cause).ifPresent(tooLarge -> {
                throw new InventoryApiException("Inventory API answer to GET " + request.uri().getPath() + " refused: "
                        + tooLarge.getMessage(), cause);
            });
            String reason = cause instanceof ConnectException ? "connection refused"
                    : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new InventoryApiException("Inventory API unreachable at " + request.uri().getHost() + ":"
                    + request.uri().getPort() + " (" + reason + ")", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InventoryApiException("Interrupted while waiting for the inventory API", e);
        }
    }

    private InventoryApiException tooSlow(HttpRequest request) {
        return new InventoryApiException("Inventory API did not answer GET " + request.uri().getPath() + " within "
                + config.timeout().toMillis() + " ms");
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
