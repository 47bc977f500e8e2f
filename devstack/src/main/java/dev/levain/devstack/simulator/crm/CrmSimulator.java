package dev.levain.devstack.simulator.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.events.Json;
import dev.levain.events.signature.TimestampedSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * PanPan's CRM, simulated over real HTTP: {@code GET /v1/contacts?updated_since=&limit=&page_token=}
 * pages PanPan's customers in update order (Bearer token required), contacts change over time, each
 * change can be pushed to Levain as a signed webhook, and tests can make the API fail, stall or answer
 * garbage.
 */
public final class CrmSimulator implements AutoCloseable {

    public static final String CONTACTS_PATH = "/v1/contacts";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final int REMEMBERED_REQUESTS = 1000;
    // The order pages are served in; a page token is the position of the last contact served.
    private static final Comparator<Contact> UPDATE_ORDER =
            Comparator.comparing(Contact::updatedAt).thenComparing(Contact::id);

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService background;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String apiToken;
    private final Random random = new Random();
    // Guarded by itself: the contacts, in catalog order.
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    // Guarded by itself: the latest contacts requests, oldest first.
    private final Deque<ContactsRequest> requests = new ArrayDeque<>();
    private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
    private final AtomicReference<WebhookTarget> webhookTarget = new AtomicReference<>();

    private CrmSimulator(HttpServer server, ExecutorService handlers, String apiToken, Instant now) {
        this.server = server;
        this.handlers = handlers;
        this.apiToken = apiToken;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "crm-simulator-updates"));
        List<PanPanCatalog.Customer> customers = PanPanCatalog.CUSTOMERS;
        Instant base = now.truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < customers.size(); i++) {
            PanPanCatalog.Customer customer = customers.get(i);
            // Spread over the last days, newest last, so a first pull over the last 30 days sees everyone.
            Instant updated = base.minus(Duration.ofHours(customers.size() - i));
            Instant created = updated.minus(Duration.ofDays(200 + i));
            contacts.put(customer.crmId(), new Contact(customer.crmId(), customer.givenName(), customer.familyName(),
                    customer.email(), customer.phone(), i % 3 != 0, created, updated));
        }
    }

    /**
     * Serves the CRM API on 127.0.0.1:{@code port} (0 = any free port), accepting only
     * {@code Authorization: Bearer <apiToken>}.
     */
    public static CrmSimulator start(int port, String apiToken) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            ExecutorService handlers = Executors.newCachedThreadPool(r -> daemon(r, "crm-simulator-http"));
            server.setExecutor(handlers);
            CrmSimulator simulator = new CrmSimulator(server, handlers, apiToken, Instant.now());
            server.createContext(CONTACTS_PATH, simulator::handle);
            server.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the CRM simulator on port " + port, e);
        }
    }

    /** Where the API is served, e.g. {@code http://127.0.0.1:40123} (the value of levain.ingest.crm.api-base-url). */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** Every contact as the API serves it now, in catalog order. */
    public List<Contact> contacts() {
        synchronized (contacts) {
            return List.copyOf(contacts.values());
        }
    }

    public Contact contact(String id) {
        synchronized (contacts) {
            Contact contact = contacts.get(id);
            if (contact == null) {
                throw new IllegalArgumentException("No CRM contact " + id);
            }
            return contact;
        }
    }

    /**
     * Changes contact {@code id} now (flips its marketing consent and moves its {@code updated_at}),
     * pushes it to the webhook target when one is set, and returns its new version.
     */
    public Contact update(String id) {
        Contact updated;
        synchronized (contacts) {
            Contact current = contact(id);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            // Strictly later than the previous version, even within one millisecond.
            Instant at = now.isAfter(current.updatedAt()) ? now : current.updatedAt().plusMillis(1);
            updated = current.withConsent(!current.marketingOptIn(), at);
            contacts.put(id, updated);
        }
        if (webhookTarget.get() != null) {
            pushQuietly(updated);
        }
        return updated;
    }

    /**
     * Adds or replaces {@code contact} exactly as given, whatever its id and {@code updated_at}: for tests of
     * contacts a CRM should not serve (a blank id, a date in the future). Not pushed as a webhook.
     */
    public Contact put(Contact contact) {
        synchronized (contacts) {
            contacts.put(contact.id(), contact);
        }
        return contact;
    }

    /** Removes contact {@code id}, as a test's cleanup after {@link #put(Contact)}. */
    public void remove(String id) {
        synchronized (contacts) {
            contacts.remove(id);
        }
    }

    /** Demo mode: one random contact changes every {@code interval}, until {@link #close()}. */
    public CrmSimulator updateEvery(Duration interval) {
        List<String> ids = contacts().stream().map(Contact::id).toList();
        background.scheduleWithFixedDelay(() -> update(ids.get(random.nextInt(ids.size()))),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** From now on each update is also POSTed to {@code url}, signed with {@code secret}. */
    public CrmSimulator pushWebhooksTo(URI url, String secret) {
        webhookTarget.set(new WebhookTarget(url, secret));
        return this;
    }

    /** Updates are no longer pushed. */
    public CrmSimulator stopWebhooks() {
        webhookTarget.set(null);
        return this;
    }

    /** POSTs contact {@code id}, as it is now, to the webhook target; returns the HTTP status. */
    public int pushWebhook(String id) throws IOException {
        WebhookTarget target = webhookTarget.get();
        if (target == null) {
            throw new IllegalStateException("No webhook target; call pushWebhooksTo first");
        }
        byte[] body = contact(id).toJson().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header(TimestampedSignature.HEADER, TimestampedSignature.sign(target.secret(), Instant.now(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while pushing " + id, e);
        }
    }

    /** The next {@code requests} API requests answer 500 ({@code Integer.MAX_VALUE}: until {@link #heal()}). */
    public void failNext(int requests) {
        fault.set(new Fault(FaultKind.ERROR, requests, Duration.ZERO));
    }

    /** The next {@code requests} API requests are answered only after {@code delay}. */
    public void slowNext(int requests, Duration delay) {
        fault.set(new Fault(FaultKind.SLOW, requests, delay));
    }

    /** The next {@code requests} API requests answer 200 with a body cut off mid-JSON. */
    public void malformedNext(int requests) {
        fault.set(new Fault(FaultKind.MALFORMED, requests, Duration.ZERO));
    }

    /** Ends any fault: the API answers normally again. */
    public void heal() {
        fault.set(Fault.NONE);
    }

    /** The latest contacts requests received (up to 1000), oldest first. */
    public List<ContactsRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        // When it arrived, before any stall: a slowed request still counts from the moment it was asked.
        Instant arrived = Instant.now();
        try {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(CONTACTS_PATH)) {
                respond(exchange, 404, "{\"error\":\"not_found\"}");
                return;
            }
            Fault current = fault.getAndUpdate(Fault::afterOneRequest);
            if (current.kind() == FaultKind.ERROR) {
                respond(exchange, 500, "{\"error\":\"internal_error\",\"message\":\"simulated outage\"}");
                return;
            }
            if (current.kind() == FaultKind.SLOW) {
                stall(current.delay());
            }
            if (!("Bearer " + apiToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"error\":\"unauthorized\",\"message\":\"a valid Bearer token is required\"}");
                return;
            }
            ContactsRequest request;
            try {
                request = ContactsRequest.parse(arrived, current.kind() == FaultKind.SLOW ? current.delay() : Duration.ZERO,
                        exchange.getRequestURI().getRawQuery());
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "{\"error\":\"bad_request\",\"message\":" + quote(e.getMessage()) + "}");
                return;
            }
            remember(request);
            String page = page(request);
            if (current.kind() == FaultKind.MALFORMED) {
                page = page.substring(0, Math.max(1, page.length() / 2));
            }
            respond(exchange, 200, page);
        } finally {
            exchange.close();
        }
    }

    private String page(ContactsRequest request) {
        List<Contact> matching;
        synchronized (contacts) {
            matching = contacts.values().stream()
                    .filter(c -> request.updatedSince() == null || !c.updatedAt().isBefore(request.updatedSince()))
                    .filter(c -> request.after() == null || UPDATE_ORDER.compare(c, request.after()) > 0)
                    .sorted(UPDATE_ORDER)
                    .limit(request.limit() + 1L)
                    .toList();
        }
        List<Contact> page = matching.subList(0, Math.min(request.limit(), matching.size()));
        String next = matching.size() > request.limit() ? PageToken.after(page.get(page.size() - 1)) : null;
        List<String> items = page.stream().map(Contact::toJson).toList();
        String contacts = items.isEmpty() ? "[]" : "[\n  " + String.join(",\n  ", items) + "\n]";
        return "{\"contacts\": " + contacts + ",\n\"next_page_token\": "
                + (next == null ? "null" : quote(next)) + "}\n";
    }

    private void remember(ContactsRequest request) {
        synchronized (requests) {
            requests.addLast(request);
            if (requests.size() > REMEMBERED_REQUESTS) {
                requests.removeFirst();
            }
        }
    }

    private void pushQuietly(Contact contact) {
        try {
            int status = pushWebhook(contact.id());
            if (status / 100 != 2) {
                System.err.println("[crm] webhook for " + contact.id() + " answered " + status);
            }
        } catch (IOException e) {
            // The CRM does not retry; Levain's scheduled pull picks the change up anyway.
            System.err.println("[crm] webhook for " + contact.id() + " not delivered: " + e);
        }
    }

    private static void stall(Duration delay) {
        try {
            // A slow upstream, on purpose: the client's timeout is what is being exercised.
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String quote(String text) {
        try {
            return Json.mapper().writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A string is always JSON", e);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One CRM contact; {@link #toJson()} is exactly what the API and the webhooks send. */
    public record Contact(String id, String givenName, String familyName, String email, String phone,
                          boolean marketingOptIn, Instant createdAt, Instant updatedAt) {

        Contact withConsent(boolean optIn, Instant at) {
            return new Contact(id, givenName, familyName, email, phone, optIn, createdAt, at);
        }

        public String toJson() {
            ObjectNode json = Json.mapper().createObjectNode()
                    .put("id", id)
                    .put("given_name", givenName)
                    .put("family_name", familyName)
                    .put("email", email)
                    .put("phone", phone)
                    .put("marketing_opt_in", marketingOptIn)
                    .put("created_at", createdAt.toString())
                    .put("updated_at", updatedAt.toString());
            return json.toString();
        }
    }

    /**
     * One {@code GET /v1/contacts} as received: {@code receivedAt} when it arrived, {@code stalled} how long it was
     * held before its answer (a slow fault); {@code after} is the position its page token stands for.
     */
    public record ContactsRequest(Instant receivedAt, Duration stalled, Instant updatedSince, int limit, String pageToken,
                                  Contact after) {

        static ContactsRequest parse(Instant receivedAt, Duration stalled, String rawQuery) {
            Map<String, String> query = new LinkedHashMap<>();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    String[] kv = pair.split("=", 2);
                    query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                            kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
                }
            }
            Instant since = Optional.ofNullable(query.get("updated_since")).map(ContactsRequest::instant).orElse(null);
            int limit = Optional.ofNullable(query.get("limit")).map(ContactsRequest::limit).orElse(DEFAULT_LIMIT);
            String token = query.get("page_token");
            return new ContactsRequest(receivedAt, stalled, since, limit, token,
                    token == null ? null : PageToken.position(token));
        }

        private static Instant instant(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("updated_since must be an ISO-8601 instant: " + value);
            }
        }

        private static int limit(String value) {
            try {
                int limit = Integer.parseInt(value);
                if (limit >= 1 && limit <= MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + value);
        }
    }

    /** Opaque to clients: the update time and id of the last contact of the previous page. */
    private static final class PageToken {

        private PageToken() {
        }

        static String after(Contact last) {
            String position = last.updatedAt() + "|" + last.id();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
        }

        static Contact position(String token) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 2);
                return new Contact(parts[1], null, null, null, null, false, null, Instant.parse(parts[0]));
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
                throw new IllegalArgumentException("page_token is not one this API issued");
            }
        }
    }

    private enum FaultKind { NONE, ERROR, SLOW, MALFORMED }

    private record Fault(FaultKind kind, int remaining, Duration delay) {

        static final Fault NONE = new Fault(FaultKind.NONE, 0, Duration.ZERO);

        Fault afterOneRequest() {
            if (kind == FaultKind.NONE || remaining == Integer.MAX_VALUE) {
                return this;
            }
            return remaining <= 1 ? NONE : new Fault(kind, remaining - 1, delay);
        }
    }

    private record WebhookTarget(URI url, String secret) {
    }
}
