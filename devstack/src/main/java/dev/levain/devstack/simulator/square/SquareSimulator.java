package dev.levain.devstack.simulator.square;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.events.Json;
import dev.levain.events.signature.SquareSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Square as PanPan's POS vendor, simulated over real HTTP: the Locations and Orders APIs (Bearer token
 * checked) serving PanPan's 3 locations, and thin, signed {@code order.created} / {@code payment.created}
 * webhooks for every sale, delivered to the notification URL and retried with backoff on non-2xx, as
 * Square does. Test hooks inject faults: lost webhooks, a failing or slow Orders API, duplicate deliveries; they
 * also move a location to another time zone, make a sale at a chosen time, and count order reads.
 */
public final class SquareSimulator implements AutoCloseable {

    /** PanPan's merchant id at Square. */
    public static final String MERCHANT_ID = "MLPANPAN0001";
    private static final int MAX_BODY = 1 << 20;

    /**
     * How to run the simulator.
     *
     * @param port            0 for any free port
     * @param notificationUrl the URL of the webhook subscription: signed into every webhook, and where webhooks go
     *                        unless {@link #deliverTo} says otherwise
     * @param retryBackoff    the wait before the first retry of a failed delivery; it doubles each time
     * @param maxAttempts     deliveries of one webhook before Square gives up on it
     * @param pageSize        most orders in one page of {@code POST /v2/orders/search}
     */
    public record Options(int port, String accessToken, String signatureKey, String notificationUrl,
                          Duration retryBackoff, int maxAttempts, int pageSize, long seed) {

        public static Options of(String accessToken, String signatureKey, String notificationUrl) {
            return new Options(0, accessToken, signatureKey, notificationUrl, Duration.ofSeconds(1), 10, 100,
                    System.nanoTime());
        }

        public Options withPort(int port) {
            return new Options(port, accessToken, signatureKey, notificationUrl, retryBackoff, maxAttempts, pageSize, seed);
        }

        public Options withRetryBackoff(Duration backoff) {
            return new Options(port, accessToken, signatureKey, notificationUrl, backoff, maxAttempts, pageSize, seed);
        }

        public Options withPageSize(int size) {
            return new Options(port, accessToken, signatureKey, notificationUrl, retryBackoff, maxAttempts, size, seed);
        }
    }

    /** One sale: its order and the webhooks made for it (in the order they were sent). */
    public record Sale(String orderId, String locationId, String paymentId, long totalCents, List<SquareWebhook> webhooks) {
    }

    private final Options options;
    private final ObjectMapper mapper = Json.mapper();
    private final SquareSales sales;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService background;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // The simulator's world: orders by id in creation order, and every webhook with its delivery state.
    private final Map<String, SquareSales.Order> orders = new ConcurrentHashMap<>();
    private final List<String> orderIds = new CopyOnWriteArrayList<>();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final AtomicReference<String> deliveryUrl;
    // Faults injected by tests.
    private final AtomicInteger webhooksToDrop = new AtomicInteger();
    private final AtomicInteger ordersApiFailure = new AtomicInteger();
    private final AtomicReference<Duration> ordersApiDelay = new AtomicReference<>(Duration.ZERO);
    // Location time zones that tests moved away from PanPan's, and what the Orders API was asked.
    private final Map<String, String> timezones = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> orderReads = new ConcurrentHashMap<>();

    private SquareSimulator(Options options) throws IOException {
        this.options = options;
        this.sales = new SquareSales(new Random(options.seed()));
        this.deliveryUrl = new AtomicReference<>(options.notificationUrl());
        this.handlers = Executors.newFixedThreadPool(8, daemon("square-api"));
        this.background = Executors.newScheduledThreadPool(2, daemon("square-webhooks"));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", options.port()), 64);
        server.setExecutor(handlers);
        server.createContext("/v2/", this::handle);
    }

    /** Starts the vendor API on {@code options.port()}. */
    public static SquareSimulator start(Options options) {
        try {
            SquareSimulator simulator = new SquareSimulator(options);
            simulator.server.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Square simulator", e);
        }
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:41234} (Levain's {@code api-base-url}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Delivers webhooks to {@code url} while still signing the subscription's notification URL (as behind a proxy). */
    public void deliverTo(String url) {
        deliveryUrl.set(url);
    }

    /** Makes a sale every {@code interval} (more in the morning rush) until {@link #close()}; for demos. */
    public SquareSimulator sellEvery(Duration interval) {
        background.scheduleWithFixedDelay(() -> {
            try {
                LocalTime local = LocalTime.now(ZoneId.of(PanPanCatalog.STORES.get(0).timezone()));
                for (int i = sales.salesPerTick(local); i > 0; i--) {
                    sell();
                }
            } catch (RuntimeException e) {
                System.err.println("[square] could not simulate a sale: " + e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One sale now at a random PanPan store: the order is readable at once through the Orders API, and its
     * {@code order.created} and {@code payment.created} webhooks have had their first delivery attempt when
     * this returns (failed ones are retried in the background).
     */
    public Sale sell() {
        return record(sales.next(Instant.now()));
    }

    /**
     * Like {@link #sell()}, but at location {@code locationId} and opened at {@code at} (a past instant, say
     * the last minutes before a location's midnight): the order is readable and searchable under that time.
     */
    public Sale sellAt(String locationId, Instant at) {
        PanPanCatalog.Store store = PanPanCatalog.STORES.stream().filter(s -> s.squareId().equals(locationId))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("No location " + locationId));
        return record(sales.next(at, store));
    }

    private Sale record(SquareSales.Order order) {
        orders.put(order.id(), order);
        orderIds.add(order.id());
        List<SquareWebhook> webhooks = List.of(orderCreated(order), paymentCreated(order));
        for (SquareWebhook webhook : webhooks) {
            deliveries.put(webhook.eventId(), new Delivery(webhook));
            if (dropThisOne()) {
                continue;
            }
            attempt(deliveries.get(webhook.eventId()));
        }
        return new Sale(order.id(), order.locationId(), order.paymentId(), order.totalCents(), webhooks);
    }

    /** The exact bytes of the {@code order} object that {@code GET /v2/orders/{id}} serves. */
    public String orderJson(String orderId) {
        SquareSales.Order order = orders.get(orderId);
        if (order == null) {
            throw new IllegalArgumentException("No order " + orderId);
        }
        return new String(order.json(), StandardCharsets.UTF_8);
    }

    /** Loses the next {@code count} webhooks: never delivered, never retried (a lost webhook). */
    public void dropNextWebhooks(int count) {
        webhooksToDrop.set(count);
    }

    /** Makes every Orders API call answer {@code status} until {@link #healOrdersApi()}. */
    public void failOrdersApi(int status) {
        ordersApiFailure.set(status);
    }

    /** Makes every Orders API call take {@code delay} before answering, until {@link #healOrdersApi()}. */
    public void slowOrdersApi(Duration delay) {
        ordersApiDelay.set(delay);
    }

    public void healOrdersApi() {
        ordersApiFailure.set(0);
        ordersApiDelay.set(Duration.ZERO);
    }

    /**
     * Makes {@code GET /v2/locations} give {@code locationId} the IANA zone {@code timezone} instead of PanPan's,
     * until {@link #resetLocationTimezones()}; the location's business day is then counted there.
     */
    public void setLocationTimezone(String locationId, String timezone) {
        timezones.put(locationId, ZoneId.of(timezone).getId());
    }

    public void resetLocationTimezones() {
        timezones.clear();
    }

    /** How many {@code GET /v2/orders/{orderId}} requests the simulator received, answered or failed. */
    public int orderReads(String orderId) {
        AtomicInteger reads = orderReads.get(orderId);
        return reads == null ? 0 : reads.get();
    }

    /** Delivers a webhook once more, as Square sometimes does; returns the HTTP status (0 = no answer). */
    public int resend(String eventId) {
        return post(delivery(eventId).webhook, 0);
    }

    public SquareWebhook webhook(String eventId) {
        return delivery(eventId).webhook;
    }

    /** The status of the latest delivery attempt of a webhook (empty if never attempted; 0 = no answer). */
    public Optional<Integer> lastStatus(String eventId) {
        int status = delivery(eventId).lastStatus.get();
        return status < 0 ? Optional.empty() : Optional.of(status);
    }

    /** Whether a webhook was answered 2xx. */
    public boolean delivered(String eventId) {
        return lastStatus(eventId).map(s -> s / 100 == 2).orElse(false);
    }

    public int attempts(String eventId) {
        return delivery(eventId).attempts.get();
    }

    @Override
    public void close() {
        background.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    // ------------------------------------------------------------------ webhooks

    private SquareWebhook orderCreated(SquareSales.Order order) {
        ObjectNode created = mapper.createObjectNode();
        created.put("created_at", order.createdAt().toString());
        created.put("location_id", order.locationId());
        created.put("order_id", order.id());
        created.put("state", "OPEN");
        created.put("version", 1);
        return webhook("order.created", "order", order.id(), "order_created", created, order.createdAt());
    }

    private SquareWebhook paymentCreated(SquareSales.Order order) {
        ObjectNode payment = mapper.createObjectNode();
        payment.put("id", order.paymentId());
        payment.put("order_id", order.id());
        payment.put("location_id", order.locationId());
        if (order.customerId() != null) {
            payment.put("customer_id", order.customerId());
        }
        payment.putObject("amount_money").put("amount", order.totalCents()).put("currency", SquareSales.CURRENCY);
        payment.putObject("total_money").put("amount", order.totalCents()).put("currency", SquareSales.CURRENCY);
        payment.put("status", "COMPLETED");
        payment.put("source_type", "CARD");
        payment.put("created_at", order.updatedAt().toString());
        payment.put("updated_at", order.updatedAt().toString());
        payment.put("version", 1);
        return webhook("payment.created", "payment", order.paymentId(), "payment", payment, order.updatedAt());
    }

    private SquareWebhook webhook(String type, String dataType, String id, String member, ObjectNode object,
                                  Instant at) {
        ObjectNode root = mapper.createObjectNode();
        root.put("merchant_id", MERCHANT_ID);
        root.put("type", type);
        String eventId = UUID.randomUUID().toString();
        root.put("event_id", eventId);
        root.put("created_at", at.toString());
        ObjectNode data = root.putObject("data");
        data.put("type", dataType);
        data.put("id", id);
        data.putObject("object").set(member, object);
        try {
            byte[] body = mapper.writeValueAsBytes(root);
            return new SquareWebhook(eventId, type, body,
                    SquareSignature.sign(options.signatureKey(), options.notificationUrl(), body));
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }

    private boolean dropThisOne() {
        return webhooksToDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private void attempt(Delivery delivery) {
        int attempt = delivery.attempts.incrementAndGet();
        int status = post(delivery.webhook, attempt - 1);
        delivery.lastStatus.set(status);
        if (status / 100 != 2 && attempt < options.maxAttempts()) {
            long wait = options.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
            background.schedule(() -> attempt(delivery), wait, TimeUnit.MILLISECONDS);
        }
    }

    private int post(SquareWebhook webhook, int retryNumber) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(deliveryUrl.get()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Square Connect v2")
                .header(SquareSignature.HEADER, webhook.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body()));
        if (retryNumber > 0) {
            request.header("square-retry-number", Integer.toString(retryNumber));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Delivery delivery(String eventId) {
        Delivery delivery = deliveries.get(eventId);
        if (delivery == null) {
            throw new IllegalArgumentException("No webhook " + eventId);
        }
        return delivery;
    }

    /** One webhook and how its deliveries went. */
    private static final class Delivery {
        private final SquareWebhook webhook;
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicInteger lastStatus = new AtomicInteger(-1);

        private Delivery(SquareWebhook webhook) {
            this.webhook = webhook;
        }
    }

    // ------------------------------------------------------------------ the vendor API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.startsWith("/v2/orders/")) {
                orderReads.computeIfAbsent(path.substring("/v2/orders/".length()), id -> new AtomicInteger())
                        .incrementAndGet();
            }
            if (!authorized(exchange)) {
                error(exchange, 401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "The access token is missing or wrong");
                return;
            }
            if (path.startsWith("/v2/orders") && !ordersApiAnswers(exchange)) {
                return;
            }
            if (method.equals("GET") && path.equals("/v2/locations")) {
                respond(exchange, 200, locations());
            } else if (method.equals("POST") && path.equals("/v2/orders/search")) {
                searchOrders(exchange);
            } else if (method.equals("GET") && path.startsWith("/v2/orders/")) {
                SquareSales.Order order = orders.get(path.substring("/v2/orders/".length()));
                if (order == null) {
                    error(exchange, 404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "No order with this id");
                } else {
                    respond(exchange, 200, concat("{\"order\":", order.json(), "}"));
                }
            } else {
                error(exchange, 404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "The simulator does not serve " + path);
            }
        } catch (RuntimeException e) {
            // Fault handlers answer what they can; a broken test request must not kill the server thread.
            System.err.println("[square] " + e);
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.equals("Bearer " + options.accessToken());
    }

    private boolean ordersApiAnswers(HttpExchange exchange) throws IOException {
        Duration delay = ordersApiDelay.get();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int failure = ordersApiFailure.get();
        if (failure != 0) {
            error(exchange, failure, "API_ERROR", "INTERNAL_SERVER_ERROR", "Simulated failure");
            return false;
        }
        return true;
    }

    private byte[] locations() throws IOException {
        ObjectNode root = mapper.createObjectNode();
        for (PanPanCatalog.Store store : PanPanCatalog.STORES) {
            ObjectNode location = root.withArray("locations").addObject();
            location.put("id", store.squareId());
            location.put("name", store.name());
            location.put("timezone", timezones.getOrDefault(store.squareId(), store.timezone()));
            location.put("currency", SquareSales.CURRENCY);
            location.put("country", "FR");
            location.put("status", "ACTIVE");
            location.put("merchant_id", MERCHANT_ID);
        }
        return mapper.writeValueAsBytes(root);
    }

    /** location_ids, query.filter.date_time_filter.{created_at|updated_at|closed_at}, limit and cursor. */
    private void searchOrders(HttpExchange exchange) throws IOException {
        JsonNode search;
        try {
            search = mapper.readTree(readBody(exchange));
        } catch (IOException e) {
            error(exchange, 400, "INVALID_REQUEST_ERROR", "INVALID_JSON", "The body is not JSON");
            return;
        }
        Set<String> locations = new HashSet<>();
        search.path("location_ids").forEach(id -> locations.add(id.asText()));
        JsonNode filters = search.path("query").path("filter").path("date_time_filter");
        List<SquareSales.Order> matching = new ArrayList<>();
        try {
            for (String id : orderIds) {
                SquareSales.Order order = orders.get(id);
                if ((locations.isEmpty() || locations.contains(order.locationId())) && inRange(order, filters)) {
                    matching.add(order);
                }
            }
        } catch (DateTimeParseException e) {
            error(exchange, 400, "INVALID_REQUEST_ERROR", "BAD_REQUEST", "Bad date_time_filter: " + e.getMessage());
            return;
        }
        int limit = Math.min(search.path("limit").asInt(500), options.pageSize());
        int from = search.hasNonNull("cursor") ? Integer.parseInt(search.get("cursor").asText()) : 0;
        int to = Math.min(from + limit, matching.size());
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        page.writeBytes("{\"orders\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = from; i < to; i++) {
            if (i > from) {
                page.write(',');
            }
            page.writeBytes(matching.get(i).json());
        }
        page.write(']');
        if (to < matching.size()) {
            page.writeBytes((",\"cursor\":\"" + to + "\"").getBytes(StandardCharsets.UTF_8));
        }
        page.write('}');
        respond(exchange, 200, page.toByteArray());
    }

    private static boolean inRange(SquareSales.Order order, JsonNode filters) {
        for (String field : List.of("created_at", "updated_at", "closed_at")) {
            JsonNode range = filters.path(field);
            if (range.isMissingNode()) {
                continue;
            }
            Instant at = field.equals("created_at") ? order.createdAt() : order.updatedAt();
            if (range.hasNonNull("start_at") && at.isBefore(Instant.parse(range.get("start_at").asText()))) {
                return false;
            }
            if (range.hasNonNull("end_at") && !at.isBefore(Instant.parse(range.get("end_at").asText()))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        return exchange.getRequestBody().readNBytes(MAX_BODY);
    }

    private void error(HttpExchange exchange, int status, String category, String code, String detail)
            throws IOException {
        ObjectNode root = mapper.createObjectNode();
        root.putArray("errors").addObject().put("category", category).put("code", code).put("detail", detail);
        respond(exchange, status, mapper.writeValueAsBytes(root));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
