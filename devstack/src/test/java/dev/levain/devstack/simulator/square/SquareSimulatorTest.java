package dev.levain.devstack.simulator.square;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.levain.events.Json;
import dev.levain.events.signature.SquareSignature;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SquareSimulatorTest {

    private static final String KEY = "sim-key";
    private static final String TOKEN = "sim-token";
    private static final String NOTIFICATION_URL = "https://levain.example/api/v1/ingest/pos/square/webhooks";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private SquareSimulator square;

    private record Received(String signature, byte[] body) {
    }

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new Received(exchange.getRequestHeaders().getFirst(SquareSignature.HEADER),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        square = SquareSimulator.start(SquareSimulator.Options.of(TOKEN, KEY, NOTIFICATION_URL).withPageSize(2));
        square.deliverTo("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        square.close();
        receiver.stop(0);
    }

    @Test
    void webhooksAreSignedForTheNotificationUrlAndBodyAsSquareDoes() throws Exception {
        SquareSimulator.Sale sale = square.sell();

        assertThat(received).hasSize(2);
        for (Received webhook : received) {
            assertThatCode(() -> SquareSignature.verify(webhook.signature(), webhook.body(), KEY, NOTIFICATION_URL))
                    .doesNotThrowAnyException();
        }
        JsonNode orderCreated = Json.mapper().readTree(received.get(0).body());
        assertThat(orderCreated.get("type").asText()).isEqualTo("order.created");
        assertThat(orderCreated.get("merchant_id").asText()).isEqualTo(SquareSimulator.MERCHANT_ID);
        assertThat(orderCreated.at("/data/id").asText()).isEqualTo(sale.orderId());
        assertThat(orderCreated.at("/data/object/order_created/location_id").asText()).isEqualTo(sale.locationId());
        JsonNode payment = Json.mapper().readTree(received.get(1).body());
        assertThat(payment.at("/data/object/payment/order_id").asText()).isEqualTo(sale.orderId());
        assertThat(payment.at("/data/object/payment/amount_money/amount").asLong()).isEqualTo(sale.totalCents());
    }

    @Test
    void ordersApiNeedsTheBearerTokenAndServesTheOrderInCents() throws Exception {
        SquareSimulator.Sale sale = square.sell();

        assertThat(get("/v2/orders/" + sale.orderId(), "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> response = get("/v2/orders/" + sale.orderId(), TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"order\":" + square.orderJson(sale.orderId()) + "}");
        JsonNode order = Json.mapper().readTree(response.body()).get("order");
        long total = 0;
        for (JsonNode line : order.get("line_items")) {
            total += line.at("/base_price_money/amount").asLong() * line.get("quantity").asLong();
        }
        assertThat(order.at("/total_money/amount").asLong()).isEqualTo(total).isEqualTo(sale.totalCents());
        assertThat(get("/v2/locations", TOKEN).body()).contains("L1BASTILLE", "L2MONTMARTRE", "L3DELIVERY");
    }

    @Test
    void searchPagesWithACursor() throws Exception {
        for (int i = 0; i < 5; i++) {
            square.sell();
        }
        int found = 0;
        String cursor = null;
        int pages = 0;
        do {
            String body = "{\"limit\": 500" + (cursor == null ? "" : ", \"cursor\": \"" + cursor + "\"") + "}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(square.baseUrl() + "/v2/orders/search"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode page = Json.mapper().readTree(response.body());
            found += page.get("orders").size();
            cursor = page.hasNonNull("cursor") ? page.get("cursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(found).isEqualTo(5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void droppedWebhooksAreNeverSent() {
        square.dropNextWebhooks(2);
        SquareSimulator.Sale sale = square.sell();
        assertThat(received).isEmpty();
        assertThat(square.lastStatus(sale.webhooks().get(0).eventId())).isEmpty();
        assertThat(square.resend(sale.webhooks().get(0).eventId())).isEqualTo(200);
        assertThat(received).hasSize(1);
    }

    @Test
    void hooksMoveALocationSellInThePastAndCountOrderReads() throws Exception {
        square.setLocationTimezone("L3DELIVERY", "Pacific/Pago_Pago");
        JsonNode locations = Json.mapper().readTree(get("/v2/locations", TOKEN).body()).get("locations");
        assertThat(locations).extracting(l -> l.get("id").asText() + " " + l.get("timezone").asText())
                .contains("L1BASTILLE Europe/Paris", "L3DELIVERY Pacific/Pago_Pago");

        Instant lastNight = Instant.now().minus(Duration.ofHours(20));
        SquareSimulator.Sale sale = square.sellAt("L3DELIVERY", lastNight);
        assertThat(sale.locationId()).isEqualTo("L3DELIVERY");
        assertThat(Json.mapper().readTree(square.orderJson(sale.orderId())).get("created_at").asText())
                .isEqualTo(lastNight.toString());

        assertThat(square.orderReads(sale.orderId())).isZero();
        get("/v2/orders/" + sale.orderId(), TOKEN);
        get("/v2/orders/" + sale.orderId(), "wrong");
        assertThat(square.orderReads(sale.orderId())).isEqualTo(2);

        square.resetLocationTimezones();
        assertThat(get("/v2/locations", TOKEN).body()).doesNotContain("Pago_Pago");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(square.baseUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
