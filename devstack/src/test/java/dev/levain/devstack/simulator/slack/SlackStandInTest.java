package dev.levain.devstack.simulator.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SlackStandInTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void recordsMessagesAndAnswersWhatTheTestScripted() throws Exception {
        try (SlackStandIn slack = SlackStandIn.start(0)) {
            slack.rateLimitNext(1, 2);

            HttpResponse<String> limited = post(slack, "{\"text\": \"first\"}");
            HttpResponse<String> accepted = post(slack, "{\"text\": \"second\", \"blocks\": [{\"type\": \"section\", "
                    + "\"text\": {\"type\": \"mrkdwn\", \"text\": \"*Croissant* at PAR-01\"}}]}");
            slack.down(503);
            HttpResponse<String> down = post(slack, "{\"text\": \"third\"}");
            slack.up();

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).contains("2");
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.body()).isEqualTo("ok");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(slack.received()).extracting(SlackStandIn.Received::status).containsExactly(429, 200, 503);
            assertThat(slack.containing("*Croissant* at PAR-01")).hasSize(1);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("*Croissant* at PAR-01");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/messages")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"status\":429");
        }
    }

    private HttpResponse<String> post(SlackStandIn slack, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(slack.webhookUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
