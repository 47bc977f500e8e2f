package dev.levain.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levain.devstack.DataDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's first paint as its user sees it: Debian's chromium, headless, opens the dashboard with a token
 * and reports the User Timing marks the page sets, both measured from the start of the navigation (the page's own
 * clock): {@code levain:first-numbers} (today's figures drawn) and {@code levain:first-screen} (every panel's first
 * answer drawn). The first visit starts with an empty browser cache; the others are visits again (scripts and
 * styles cached, every API answer asked again: the dashboard never caches them). Driven over the DevTools protocol
 * (a WebSocket of java.net.http), so no WebDriver is needed.
 */
final class DashboardPaint implements AutoCloseable {

    static final double TARGET_MILLIS = 1000;
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    // Null until the visit's own document has set both marks; then the marks, the panels that said "not available"
    // and the three API answers that arrived last (path, start-end in ms).
    private static final String MARKS = """
            (() => {
              if (location.search !== '?visit=%d') return null;
              const at = (name) => performance.getEntriesByName(name).map((e) => e.startTime)[0];
              const screen = at('levain:first-screen');
              if (screen === undefined) return null;
              const unavailable = [...document.querySelectorAll('[id$="-unavailable"]')]
                .filter((note) => !note.hidden).map((note) => note.id.replace('-unavailable', ''));
              const last = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/'))
                .sort((a, b) => b.responseEnd - a.responseEnd).slice(0, 3)
                .map((e) => new URL(e.name).pathname.replace('/api/v1/', '') + ' ' + Math.round(e.startTime) + '-'
                  + Math.round(e.responseEnd));
              return JSON.stringify({numbers: at('levain:first-numbers'), screen: screen, unavailable: unavailable,
                                     last: last});
            })()""";

    /**
     * One visit: milliseconds from the navigation's start to each mark, the panels that said "not available", and
     * the API answers that arrived last ("path start-end").
     */
    record Visit(double firstNumbers, double firstScreen, List<String> unavailable, List<String> lastAnswers) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Process browser;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

    /** Whether this machine has the browser (CI installs it; `apt-get install -y chromium` does). */
    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    DashboardPaint() throws Exception {
        profile = DataDirs.createTemporary("levain-paint-");
        browser = new ProcessBuilder(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1400,2000",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            page = connect();
        } catch (Exception e) {
            browser.destroyForcibly();
            DataDirs.delete(profile);
            throw e;
        }
    }

    /** The page the browser opened, over its DevTools WebSocket. */
    private WebSocket connect() throws Exception {
        String browserSocket = devToolsAddress();
        URI list = URI.create(browserSocket.replaceFirst("^ws://([^/]+)/.*$", "http://$1/json/list"));
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = json.readTree(http.send(HttpRequest.newBuilder(list).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                pageSocket = target.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageSocket == null) {
            throw new IllegalStateException("chromium opened no page to drive: " + targets);
        }
        return http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Answers()).get(10, TimeUnit.SECONDS);
    }

    /** Opens {@code dashboard} (its token in the fragment) as visit {@code visit}; waits up to {@code within}. */
    Visit visit(String base, String token, int visit, Duration within) throws Exception {
        call("Page.navigate", json.createObjectNode()
                .put("url", base + "/dashboard/?visit=" + visit + "#token=" + token));
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode result = call("Runtime.evaluate", json.createObjectNode()
                    .put("expression", MARKS.formatted(visit)).put("returnByValue", true));
            String value = result.path("result").path("value").asText(null);
            if (value != null && !"null".equals(value)) {
                JsonNode marks = json.readTree(value);
                List<String> unavailable = new ArrayList<>();
                marks.path("unavailable").forEach(panel -> unavailable.add(panel.asText()));
                List<String> last = new ArrayList<>();
                marks.path("last").forEach(answer -> last.add(answer.asText()));
                return new Visit(marks.path("numbers").asDouble(), marks.path("screen").asDouble(), unavailable, last);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the dashboard drew no first screen within " + within.toSeconds() + " s");
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(json.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = answer.get(30, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private String devToolsAddress() throws IOException {
        BufferedReader errors = new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String line;
        while ((line = errors.readLine()) != null) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                // The rest of what the browser says is not read: drain it so that it never blocks on a full pipe.
                Thread drain = new Thread(() -> errors.lines().forEach(ignored -> { }), "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
            said.append(line).append('\n');
        }
        throw new IllegalStateException("chromium exited before it listened for DevTools: " + said);
    }

    @Override
    public void close() {
        page.abort();
        browser.destroy();
        try {
            if (!browser.waitFor(5, TimeUnit.SECONDS)) {
                browser.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DataDirs.delete(profile);
    }

    /** Collects the protocol's answers (by id); events are not listened to. */
    private final class Answers implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(partial.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("Unreadable DevTools message", e);
                } finally {
                    partial.setLength(0);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
