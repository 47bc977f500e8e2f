package dev.levain.ingest.connector.pos.square;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.config.SquareConfig;
import dev.levain.ingest.service.UpstreamUnavailableException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Square client against a stand-in Orders API (real HTTP) that answers an order far larger than the limit. */
class SquareApiClientTest {

    private static final int LIMIT = 1024 * 1024;
    private static final int ANSWER_SIZE = 64 * 1024 * 1024;

    private HttpServer squareStandIn;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong answersEnded = new AtomicLong();

    @BeforeEach
    void startStandIn() throws IOException {
        squareStandIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        squareStandIn.createContext("/v2/orders/", this::answerAHugeOrder);
        squareStandIn.start();
    }

    @AfterEach
    void stopStandIn() {
        squareStandIn.stop(0);
    }

    @Test
    void orderLargerThanTheResponseLimitFailsTheFetchBeforeItIsReadWhole() {
        SquareApiClient square = clientOf("http://127.0.0.1:" + squareStandIn.getAddress().getPort());

        assertThatThrownBy(() -> square.order("ORDER-BIG"))
                .isInstanceOf(UpstreamUnavailableException.class)
                .hasMessageContaining("Square's answer for order ORDER-BIG refused")
                .hasMessageContaining("larger than the 1048576 bytes allowed (levain.ingest.max-upstream-response-size)");
        // The client hung up: the stand-in could not send the rest (socket buffers hold a few MiB at most).
        await().atMost(Duration.ofSeconds(10)).until(() -> answersEnded.get() == 1);
        assertThat(bytesSent.get()).isLessThan(ANSWER_SIZE / 2);
    }

    /** Streams {"order": {..., "note": "xxx…"}} of 64 MiB without a Content-Length, as a chunked answer. */
    private void answerAHugeOrder(HttpExchange exchange) throws IOException {
        byte[] start = "{\"order\":{\"id\":\"ORDER-BIG\",\"location_id\":\"L1\",\"version\":1,\"note\":\""
                .getBytes(StandardCharsets.US_ASCII);
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) 'x');
        try (exchange; OutputStream body = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            body.write(start);
            bytesSent.addAndGet(start.length);
            while (bytesSent.get() < ANSWER_SIZE) {
                body.write(filler);
                bytesSent.addAndGet(filler.length);
            }
            body.write("\"}}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException clientHungUp) {
            // Expected once the client refuses the answer.
        } finally {
            answersEnded.incrementAndGet();
        }
    }

    /** The client as configured with these settings and the defaults of everything else. */
    private static SquareApiClient clientOf(String apiBaseUrl) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SquareConfig.class)
                .withMapping(IngestConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "levain.ingest.pos.square.api-base-url", apiBaseUrl,
                        "levain.ingest.pos.square.access-token", "stand-in-token",
                        "levain.ingest.max-upstream-response-size", Integer.toString(LIMIT)), "test", 500))
                .build();
        return new SquareApiClient(config.getConfigMapping(SquareConfig.class), config.getConfigMapping(IngestConfig.class));
    }
}
