package dev.levain.devstack.simulator.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.levain.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for a Slack incoming webhook over real HTTP: {@code POST /services/...} is recorded
 * with the time it arrived and answered {@code 200 ok}, or with what a test scripted (429 with
 * {@code Retry-After}, 500 while "down"). {@code GET /} lists the messages received as HTML,
 * {@code GET /messages} as JSON.
 */
public final class SlackStandIn implements AutoCloseable {

    public static final String WEBHOOK_PATH = "/services/T0LEVAIN/B0ALERTS/levain-demo";
    private static final int REMEMBERED = 2000;

    /** One request as the stand-in received it, and the status it answered. */
    public record Received(Instant at, String path, String body, int status) {

        /** The message's JSON, or null when the body was not JSON. */
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        /** Every text of the message (fallback, header, sections, context), one per line, for assertions. */
        public String text() {
            JsonNode json = json();
            if (json == null) {
                return body;
            }
            StringBuilder text = new StringBuilder(json.path("text").asText()).append('\n');
            for (JsonNode block : json.path("blocks")) {
                text.append(block.path("text").path("text").asText()).append('\n');
                for (JsonNode element : block.path("elements")) {
                    text.append(element.path("text").asText()).append('\n');
                }
            }
            return text.toString();
        }
    }

    private record Scripted(int status, Integer retryAfterSeconds) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Scripted> script = new ArrayDeque<>();
    private Integer downStatus;

    private SlackStandIn(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /** Starts on {@code port} of the loopback interface (0: any free port). */
    public static SlackStandIn start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            ExecutorService handlers = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "slack-stand-in");
                thread.setDaemon(true);
                return thread;
            });
            SlackStandIn standIn = new SlackStandIn(server, handlers);
            server.createContext("/", standIn::handle);
            server.setExecutor(handlers);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Slack stand-in", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The incoming-webhook URL to configure the sender with. */
    public String webhookUrl() {
        return baseUrl() + WEBHOOK_PATH;
    }

    /** Every message received, in arrival order (retries included). */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Messages received whose text contains {@code text}. */
    public List<Received> containing(String text) {
        return received().stream().filter(message -> message.text().contains(text)).toList();
    }

    /** The next {@code times} messages are answered 429 with {@code Retry-After: retryAfterSeconds}. */
    public synchronized SlackStandIn rateLimitNext(int times, int retryAfterSeconds) {
        for (int i = 0; i < times; i++) {
            script.add(new Scripted(429, retryAfterSeconds));
        }
        return this;
    }

    /** Every message is answered {@code status} (a 5xx: Slack is down) until {@link #up()}. */
    public synchronized SlackStandIn down(int status) {
        downStatus = status;
        return this;
    }

    public synchronized SlackStandIn up() {
        downStatus = null;
        script.clear();
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("POST".equals(exchange.getRequestMethod())) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Scripted answer = answer();
                synchronized (this) {
                    if (received.size() >= REMEMBERED) {
                        received.remove(0);
                    }
                    received.add(new Received(Instant.now(), exchange.getRequestURI().getPath(), body, answer.status()));
                }
                if (answer.retryAfterSeconds() != null) {
                    exchange.getResponseHeaders().add("Retry-After", answer.retryAfterSeconds().toString());
                }
                respond(exchange, answer.status(), "text/plain", answer.status() == 200 ? "ok"
                        : answer.status() == 429 ? "rate_limited" : "service_unavailable");
            } else if ("/messages".equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 200, "application/json", messagesJson());
            } else {
                respond(exchange, 200, "text/html; charset=utf-8", page());
            }
        }
    }

    private synchronized Scripted answer() {
        if (downStatus != null) {
            return new Scripted(downStatus, null);
        }
        Scripted next = script.poll();
        return next != null ? next : new Scripted(200, null);
    }

    private String messagesJson() {
        ArrayNode messages = Json.mapper().createArrayNode();
        for (Received message : received()) {
            messages.addObject().put("at", message.at().toString()).put("status", message.status())
                    .put("text", message.text()).set("message", message.json());
        }
        return messages.toString();
    }

    private String page() {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"10\"><title>Slack stand-in</title></head><body>"
                + "<h1>Slack stand-in: messages received</h1><p>Newest first; JSON at <a href=\"/messages\">/messages</a>.</p>");
        List<Received> messages = new ArrayList<>(received());
        java.util.Collections.reverse(messages);
        for (Received message : messages) {
            html.append("<div style=\"border:1px solid #ccc;margin:8px;padding:8px\"><small>").append(message.at())
                    .append(" · answered ").append(message.status()).append("</small><pre>")
                    .append(escape(message.text())).append("</pre></div>");
        }
        return html.append("</body></html>").toString();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
