package dev.levain.devstack.simulator.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.events.Json;
import dev.levain.events.signature.TimestampedSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * PanPan's inventory system, simulated over real HTTP: stock levels of every product at every store
 * ({@code GET /v1/stock-levels}, JSON or XML, paged, filtered by {@code updated_since}) and the catalog
 * ({@code GET /v1/products}), both behind a bearer token. It pushes signed stock-level webhooks, can
 * run a day of stock going down and being restocked in the background, and fails on demand (5xx,
 * slow answers, malformed bodies, refused connections) for tests.
 */
public final class InventorySimulator implements AutoCloseable {

    public static final String STOCK_LEVELS = "/v1/stock-levels";
    public static final String PRODUCTS = "/v1/products";
    public static final int DEFAULT_PAGE_SIZE = 50;
    private static final int REMEMBERED_REQUESTS = 5000;

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    // Oldest change first, as the API lists them; ties in a stable order so pages do not shuffle.
    private static final Comparator<Level> ORDER = Comparator.comparing((Level l) -> l.updatedAt().toInstant())
            .thenComparing(Level::sku).thenComparing(Level::location);

    /** The body formats the API speaks. */
    public enum Format {
        JSON("application/json"), XML("application/xml");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /** One authorized API request as received: its path and query string (null when none). */
    public record Request(Instant receivedAt, String path, String query) {
    }

    /** The stock of one product at one store, as of {@code updatedAt}. */
    public record Level(String sku, String location, int onHand, OffsetDateTime updatedAt) {

        /** Levain's key for it: {@code <sku>@<location>}. */
        public String key() {
            return sku + "@" + location;
        }

        /** Exactly the bytes the API serves for this level in JSON. */
        public String toJson() {
            ObjectNode node = Json.mapper().createObjectNode()
                    .put("sku", sku)
                    .put("location", location)
                    .put("on_hand", onHand)
                    .put("updated_at", updatedAt.format(TIME));
            return write(node);
        }

        /** Exactly the bytes the API serves for this level in XML. */
        public String toXml() {
            return "<stockLevel sku=\"" + xml(sku) + "\" location=\"" + xml(location) + "\"><onHand>" + onHand
                    + "</onHand><updatedAt>" + updatedAt.format(TIME) + "</updatedAt></stockLevel>";
        }
    }

    /**
     * How to start it.
     *
     * @param port          0 for any free port
     * @param webhookUrl    where stock-level webhooks go; null = none are pushed
     * @param webhookSecret the {@code Levain-Signature} secret of those webhooks
     */
    public record Options(int port, String apiToken, String webhookUrl, String webhookSecret) {
    }

    private final Options options;
    private final Map<String, Level> levels = new ConcurrentHashMap<>();
    private final OffsetDateTime catalogUpdatedAt;
    private final Random random = new Random(42);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService handlers = Executors.newFixedThreadPool(4, daemon("inventory-simulator-http"));
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("inventory-simulator"));
    private final Faults faults = new Faults();
    private final AtomicReference<PageHook> afterPage = new AtomicReference<>();
    // Guarded by itself: the latest authorized API requests, oldest first.
    private final Deque<Request> requests = new ArrayDeque<>();
    private final int port;
    private Instant lastStamp = Instant.EPOCH;
    private HttpServer server;

    private InventorySimulator(Options options) {
        this.options = options;
        this.catalogUpdatedAt = OffsetDateTime.ofInstant(stamp(), PARIS);
        for (PanPanCatalog.Store store : PanPanCatalog.STORES) {
            for (PanPanCatalog.Product product : PanPanCatalog.PRODUCTS) {
                // The day starts with 2 to 4 times the reorder point on the shelves.
                int onHand = product.reorderPoint() * 2 + random.nextInt(product.reorderPoint() * 2 + 1);
                Level level = new Level(product.sku(), store.code(), onHand, catalogUpdatedAt);
                levels.put(level.key(), level);
            }
        }
        this.server = bind(options.port());
        this.port = server.getAddress().getPort();
    }

    /** Starts serving on {@code options.port()}; levels change only when told to (see {@link #runDay}). */
    public static InventorySimulator start(Options options) {
        return new InventorySimulator(options);
    }

    /**
     * The demo: every {@code interval}, some levels go down (more during the morning rush, 7-10 h Paris
     * time), some run out, and those at or under their reorder point are sometimes restocked; each change
     * is pushed as a webhook when a webhook URL is set. A push that fails is not retried: the next pull
     * catches up, which is what the pull is for.
     */
    public InventorySimulator runDay(Duration interval) {
        timers.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * The demo's sure alert: after {@code delay}, {@code sku} at {@code location} drops to one under its
     * reorder point (pushed by webhook like any change), so a low-stock alert shows within a minute of the
     * start instead of whenever the random day gets there.
     */
    public InventorySimulator runLow(String sku, String location, Duration delay) {
        timers.schedule(() -> {
            int low = Math.max(0, PanPanCatalog.product(sku).reorderPoint() - 1);
            Level level = setLevel(sku, location, low);
            if (options.webhookUrl() != null) {
                pushWebhook(List.of(level));
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The current level of {@code sku} at {@code location}. */
    public Level level(String sku, String location) {
        return Optional.ofNullable(levels.get(sku + "@" + location))
                .orElseThrow(() -> new IllegalArgumentException("No level for " + sku + " at " + location));
    }

    /** Every current level, oldest change first. */
    public List<Level> levels() {
        return levels.values().stream().sorted(ORDER).toList();
    }

    /** Sets one level now (updated_at = now, later than any earlier change); returns it. */
    public Level setLevel(String sku, String location, int onHand) {
        Level current = level(sku, location);
        Level changed = new Level(current.sku(), current.location(), onHand, OffsetDateTime.ofInstant(stamp(), PARIS));
        levels.put(changed.key(), changed);
        return changed;
    }

    /**
     * Adds or replaces {@code level} exactly as given, whatever its sku, location and {@code updated_at}: for
     * tests of levels an inventory system should not serve (a location with a space, a date in the future).
     */
    public Level putLevel(Level level) {
        levels.put(level.key(), level);
        return level;
    }

    /** Removes the level of {@code sku} at {@code location}, as a test's cleanup after {@link #putLevel(Level)}. */
    public void removeLevel(String sku, String location) {
        levels.remove(sku + "@" + location);
    }

    /**
     * Runs {@code change} once, right after the first stock-level page whose levels match {@code page} has been
     * made and before it is sent: the client gets that page as it was, and every later request sees the change.
     * This is how a test makes stock move in the middle of a paged pull.
     */
    public void afterPage(Predicate<List<Level>> page, Runnable change) {
        afterPage.set(new PageHook(page, change));
    }

    /** Exactly the bytes the API serves for a catalog product. */
    public String productJson(PanPanCatalog.Product product) {
        ObjectNode node = Json.mapper().createObjectNode()
                .put("sku", product.sku())
                .put("name", product.name())
                .put("category", product.category())
                .put("unit_cost", product.unitCost())
                .put("reorder_point", product.reorderPoint())
                .put("updated_at", catalogUpdatedAt.format(TIME));
        return write(node);
    }

    /** Pushes {@code changed} as one signed webhook to the configured URL (see {@link #pushWebhook(String, List)}). */
    public int pushWebhook(List<Level> changed) {
        if (options.webhookUrl() == null) {
            throw new IllegalStateException("No webhook URL configured");
        }
        return pushWebhook(options.webhookUrl(), changed);
    }

    /**
     * Pushes {@code changed} as one webhook {@code {"stock_levels": [...]}} to {@code url}, signed with the
     * configured secret; returns the HTTP status, or -1 when the endpoint could not be reached.
     */
    public int pushWebhook(String url, List<Level> changed) {
        if (options.webhookSecret() == null) {
            throw new IllegalStateException("No webhook secret configured");
        }
        byte[] body = ("{\"stock_levels\":[" + changed.stream().map(Level::toJson).collect(Collectors.joining(","))
                + "]}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(TimestampedSignature.HEADER, TimestampedSignature.sign(options.webhookSecret(), Instant.now(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The latest authorized API requests (up to {@value #REMEMBERED_REQUESTS}), oldest first. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Answers every API request in {@code format} whatever the client asks for (null: negotiate again). */
    public void serveOnly(Format format) {
        faults.only = format;
    }

    /** The next {@code count} API requests get {@code status} with an error body. */
    public void failNext(int count, int status) {
        faults.status = status;
        faults.failures.set(count);
    }

    /** The next {@code count} API requests are answered after {@code delay}. */
    public void slowNext(int count, Duration delay) {
        faults.delay = delay;
        faults.slow.set(count);
    }

    /** The next {@code count} API requests get 200 with a body cut in the middle. */
    public void malformedNext(int count) {
        faults.malformed.set(count);
    }

    /** Stops listening: connections are refused until {@link #goOnline()}. */
    public synchronized void goOffline() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void goOnline() {
        server = bind(port);
    }

    /** Ends every injected fault and format restriction. */
    public void heal() {
        faults.failures.set(0);
        faults.slow.set(0);
        faults.malformed.set(0);
        faults.only = null;
    }

    @Override
    public synchronized void close() {
        timers.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    private HttpServer bind(int onPort) {
        try {
            HttpServer bound = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
            bound.setExecutor(handlers);
            bound.createContext("/", this::handle);
            bound.start();
            return bound;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + onPort, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET") || !(path.equals(STOCK_LEVELS) || path.equals(PRODUCTS))) {
            respond(exchange, 404, Format.JSON.mediaType(), "{\"error\":\"not found\"}");
            return;
        }
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            respond(exchange, 401, Format.JSON.mediaType(), "{\"error\":\"a valid bearer token is required\"}");
            return;
        }
        remember(new Request(Instant.now(), path, exchange.getRequestURI().getRawQuery()));
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Format format = path.equals(PRODUCTS) ? Format.JSON : format(exchange, query);
        String body;
        try {
            body = path.equals(PRODUCTS) ? productsPage(query) : levelsPage(query, format);
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, Format.JSON.mediaType(), write(Json.mapper().createObjectNode().put("error", e.getMessage())));
            return;
        }
        answerWithFaults(exchange, format, body);
    }

    private void remember(Request request) {
        synchronized (requests) {
            requests.addLast(request);
            if (requests.size() > REMEMBERED_REQUESTS) {
                requests.removeFirst();
            }
        }
    }

    private void answerWithFaults(HttpExchange exchange, Format format, String body) throws IOException {
        if (Faults.take(faults.failures)) {
            respond(exchange, faults.status, Format.JSON.mediaType(), "{\"error\":\"simulated failure\"}");
            return;
        }
        String sent = Faults.take(faults.malformed) ? body.substring(0, body.length() / 2) : body;
        if (Faults.take(faults.slow)) {
            // Answered later from a timer, so a slow answer holds no handler thread.
            timers.schedule(() -> respondQuietly(exchange, 200, format.mediaType(), sent),
                    faults.delay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        respond(exchange, 200, format.mediaType(), sent);
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + options.apiToken()).getBytes(StandardCharsets.UTF_8);
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected);
    }

    private Format format(HttpExchange exchange, Map<String, String> query) {
        if (faults.only != null) {
            return faults.only;
        }
        String asked = query.get("format");
        if (asked != null) {
            return asked.equalsIgnoreCase("xml") ? Format.XML : Format.JSON;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("xml") && !accept.contains("json") ? Format.XML : Format.JSON;
    }

    private String levelsPage(Map<String, String> query, Format format) {
        Instant since = query.containsKey("updated_since") ? parseTime(query.get("updated_since")) : Instant.EPOCH;
        List<Level> matching = levels.values().stream()
                .filter(l -> !l.updatedAt().toInstant().isBefore(since))
                .sorted(ORDER)
                .toList();
        Page<Level> page = Page.of(matching, query);
        PageHook hook = afterPage.get();
        if (hook != null && hook.page().test(page.items()) && afterPage.compareAndSet(hook, null)) {
            hook.change().run();
        }
        if (format == Format.XML) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<stockLevels page=\"" + page.number() + "\" totalPages=\""
                    + page.total() + "\">\n" + page.items().stream().map(l -> "  " + l.toXml() + "\n")
                    .collect(Collectors.joining()) + "</stockLevels>\n";
        }
        return "{\"stock_levels\":[" + page.items().stream().map(Level::toJson).collect(Collectors.joining(","))
                + "],\"page\":" + page.number() + ",\"total_pages\":" + page.total() + "}";
    }

    private String productsPage(Map<String, String> query) {
        Instant since = query.containsKey("updated_since") ? parseTime(query.get("updated_since")) : Instant.EPOCH;
        List<PanPanCatalog.Product> matching = catalogUpdatedAt.toInstant().isBefore(since)
                ? List.of() : PanPanCatalog.PRODUCTS;
        Page<PanPanCatalog.Product> page = Page.of(matching, query);
        return "{\"products\":[" + page.items().stream().map(this::productJson).collect(Collectors.joining(","))
                + "],\"page\":" + page.number() + ",\"total_pages\":" + page.total() + "}";
    }

    private void tick() {
        int hour = OffsetDateTime.now(PARIS).getHour();
        int changes = hour >= 7 && hour < 10 ? 6 : 2;
        List<Level> changed = new ArrayList<>();
        List<Level> all = levels();
        for (int i = 0; i < changes; i++) {
            Level picked = all.get(random.nextInt(all.size()));
            Level level = level(picked.sku(), picked.location());
            int reorder = PanPanCatalog.product(level.sku()).reorderPoint();
            int sold = 1 + random.nextInt(Math.max(1, reorder / 3));
            changed.add(setLevel(level.sku(), level.location(), Math.max(0, level.onHand() - sold)));
        }
        for (Level level : all) {
            int reorder = PanPanCatalog.product(level.sku()).reorderPoint();
            // Low shelves are refilled now and then, not at once, so low and out stock stays visible a while.
            if (level.onHand() <= reorder && random.nextInt(20) == 0) {
                changed.add(setLevel(level.sku(), level.location(), reorder * 3));
            }
        }
        if (options.webhookUrl() != null && !changed.isEmpty()) {
            pushWebhook(changed);
        }
    }

    private synchronized Instant stamp() {
        // Strictly increasing, in milliseconds as the API shows them, so each change is a new version.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp;
    }

    private static Instant parseTime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("updated_since must be an ISO-8601 date-time with an offset");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void respondQuietly(HttpExchange exchange, int status, String contentType, String body) {
        try {
            respond(exchange, status, contentType, body);
        } catch (IOException e) {
            // The client gave up waiting: that is what a slow answer is for.
            exchange.close();
        }
    }

    private static String write(ObjectNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of strings and numbers always serializes", e);
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One page of a listing; pages count from 1, and an empty listing still has one (empty) page. */
    private record Page<T>(List<T> items, int number, int total) {

        static <T> Page<T> of(List<T> all, Map<String, String> query) {
            int size = integer(query, "page_size", DEFAULT_PAGE_SIZE);
            int number = integer(query, "page", 1);
            if (size < 1 || size > 500 || number < 1) {
                throw new IllegalArgumentException("page must be >= 1 and page_size between 1 and 500");
            }
            int total = Math.max(1, (all.size() + size - 1) / size);
            int from = Math.min(all.size(), (number - 1) * size);
            return new Page<>(all.subList(from, Math.min(all.size(), from + size)), number, total);
        }

        private static int integer(Map<String, String> query, String name, int otherwise) {
            try {
                return query.containsKey(name) ? Integer.parseInt(query.get(name)) : otherwise;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer");
            }
        }
    }

    /** A change to make once a page like {@code page} has been served (see {@link #afterPage}). */
    private record PageHook(Predicate<List<Level>> page, Runnable change) {
    }

    /** Faults asked for by a test; counters so that "the next N requests" holds under concurrency. */
    private static final class Faults {
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger slow = new AtomicInteger();
        private final AtomicInteger malformed = new AtomicInteger();
        private volatile int status = 500;
        private volatile Duration delay = Duration.ZERO;
        private volatile Format only;

        /** Uses up one of the remaining faults; false when none is left. */
        static boolean take(AtomicInteger remaining) {
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }
}
