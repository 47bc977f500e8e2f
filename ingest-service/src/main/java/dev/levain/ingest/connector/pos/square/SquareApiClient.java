package dev.levain.ingest.connector.pos.square;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.SquareConfig;
import dev.levain.ingest.connector.http.ResponseBodies;
import dev.levain.ingest.service.UpstreamUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Square's Orders and Locations APIs over plain HTTP. Every failure (no token, timeout, non-2xx, an
 * unreadable answer or one larger than {@code levain.ingest.max-upstream-response-size}) is an
 * {@link UpstreamUnavailableException}: the caller refuses the input so that
 * Square, or the next pull, tries again.
 */
@ApplicationScoped
public class SquareApiClient {

    private static final int SEARCH_LIMIT = 500;

    private final SquareConfig config;
    private final HttpClient http;
    private final HttpResponse.BodyHandler<byte[]> bodies;

    public SquareApiClient(SquareConfig config, IngestConfig ingest) {
        this.config = config;
        this.bodies = ResponseBodies.upTo(ingest.maxUpstreamResponseSize().asLongValue());
        this.http = HttpClient.newBuilder().connectTimeout(config.apiTimeout()).build();
    }

    /** A Square location and its IANA time zone, in which its business day is counted. */
    public record Location(String id, String timezone) {
    }

    /** One page of a search: the orders and the cursor of the next page (null on the last one). */
    public record OrderPage(List<SquareOrder> orders, String cursor) {
    }

    /** {@code GET /v2/orders/{id}}: the order as it is now. */
    public SquareOrder order(String orderId) {
        String path = "/v2/orders/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8);
        byte[] body = send(request(path).GET(), "order " + orderId);
        List<byte[]> orders = read(body, "order", null, "order " + orderId).values();
        if (orders.isEmpty()) {
            throw new UpstreamUnavailableException("Square answered for order " + orderId + " without an order");
        }
        return order(orders.get(0), "order " + orderId);
    }

    /** {@code GET /v2/locations}: every location of the merchant. */
    public List<Location> locations() {
        byte[] body = send(request("/v2/locations").GET(), "locations");
        List<Location> locations = new ArrayList<>();
        for (byte[] location : read(body, "locations", null, "locations").values()) {
            try {
                JsonNode node = SquareJson.MAPPER.readTree(location);
                locations.add(new Location(node.path("id").asText(), node.path("timezone").asText("UTC")));
            } catch (IOException e) {
                throw new UpstreamUnavailableException("Square returned an unreadable location", e);
            }
        }
        return locations;
    }

    /**
     * {@code POST /v2/orders/search}: one page of the orders of {@code locationId} updated in [from, to),
     * oldest first.
     */
    public OrderPage searchOrders(String locationId, Instant from, Instant to, String cursor) {
        ObjectNode search = SquareJson.MAPPER.createObjectNode();
        search.putArray("location_ids").add(locationId);
        search.put("limit", SEARCH_LIMIT);
        if (cursor != null) {
            search.put("cursor", cursor);
        }
        ObjectNode query = search.putObject("query");
        // updated_at rather than created_at: an order changed today whose order.updated webhook was lost counts too.
        ObjectNode updatedAt = query.putObject("filter").putObject("date_time_filter").putObject("updated_at");
        updatedAt.put("start_at", from.toString());
        updatedAt.put("end_at", to.toString());
        query.putObject("sort").put("sort_field", "UPDATED_AT").put("sort_order", "ASC");
        byte[] requestBody;
        try {
            requestBody = SquareJson.MAPPER.writeValueAsBytes(search);
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
        String what = "orders of " + locationId;
        byte[] body = send(request("/v2/orders/search").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody)), what);
        SquareJson.Member page = read(body, "orders", "cursor", what);
        List<SquareOrder> orders = page.values().stream().map(order -> order(order, what)).toList();
        return new OrderPage(orders, page.text());
    }

    private HttpRequest.Builder request(String path) {
        String token = config.accessToken().filter(t -> !t.isBlank()).orElseThrow(() ->
                new UpstreamUnavailableException("No Square access token is configured (levain.ingest.pos.square.access-token)"));
        return HttpRequest.newBuilder(URI.create(config.apiBaseUrl() + path))
                .timeout(config.apiTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Square-Version", config.apiVersion())
                .header("Accept", "application/json");
    }

    private byte[] send(HttpRequest.Builder request, String what) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), bodies);
        } catch (HttpTimeoutException e) {
            throw new UpstreamUnavailableException("Square did not answer for " + what + " within "
                    + config.apiTimeout().toMillis() + " ms", e);
        } catch (IOException e) {
            ResponseBodies.tooLarge(e).ifPresent(tooLarge -> {
                throw new UpstreamUnavailableException("Square's answer for " + what + " refused: "
                        + tooLarge.getMessage(), e);
            });
            throw new UpstreamUnavailableException("Square could not be reached for " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("Interrupted while asking Square for " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            // Even a 404 is retried: an order announced by a webhook may not be readable yet.
            throw new UpstreamUnavailableException("Square answered " + response.statusCode() + " for " + what);
        }
        return response.body();
    }

    private static SquareJson.Member read(byte[] body, String field, String textField, String what) {
        try {
            return SquareJson.read(body, field, textField);
        } catch (IllegalArgumentException e) {
            throw new UpstreamUnavailableException("Square's answer for " + what + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static SquareOrder order(byte[] bytes, String what) {
        try {
            return SquareOrder.of(bytes);
        } catch (IllegalArgumentException e) {
            throw new UpstreamUnavailableException("Square's answer for " + what + " is unusable: " + e.getMessage(), e);
        }
    }
}
