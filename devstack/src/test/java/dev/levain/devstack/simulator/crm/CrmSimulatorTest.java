package dev.levain.devstack.simulator.crm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.events.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CrmSimulatorTest {

    private static final String TOKEN = "token";

    private final CrmSimulator crm = CrmSimulator.start(0, TOKEN);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        crm.close();
    }

    @Test
    void pagesServeEveryContactOnceEvenWhenOneChangesMidway() throws Exception {
        List<String> seen = new ArrayList<>();
        JsonNode page = get("/v1/contacts?limit=50").body();
        page.get("contacts").forEach(c -> seen.add(c.get("id").asText()));
        // Already served, then changed: it moves to the end and is served again, with its new version.
        crm.update(seen.get(0));
        while (!page.get("next_page_token").isNull()) {
            page = get("/v1/contacts?limit=50&page_token=" + page.get("next_page_token").asText()).body();
            page.get("contacts").forEach(c -> seen.add(c.get("id").asText()));
        }
        assertThat(seen).hasSize(PanPanCatalog.CUSTOMERS.size() + 1)
                .containsAll(PanPanCatalog.CUSTOMERS.stream().map(PanPanCatalog.Customer::crmId).toList());
        assertThat(seen.get(seen.size() - 1)).isEqualTo(seen.get(0));
    }

    @Test
    void updatedSinceReturnsOnlyLaterVersionsWithTheirExactJson() throws Exception {
        // The CRM stamps updates to the millisecond.
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CrmSimulator.Contact updated = crm.update("CRM-0007");

        Response response = get("/v1/contacts?updated_since=" + URLEncoder.encode(before.toString(), StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains(updated.toJson());
        assertThat(response.body().get("contacts")).hasSize(1);
    }

    @Test
    void tokenAndBadQueriesAreRefused() throws Exception {
        assertThat(send("/v1/contacts", null).status()).isEqualTo(401);
        assertThat(get("/v1/contacts?limit=0").status()).isEqualTo(400);
        assertThat(get("/v1/contacts?page_token=nonsense").status()).isEqualTo(400);
    }

    @Test
    void faultsLastForTheirRequestsThenEnd() throws Exception {
        crm.failNext(2);
        assertThat(get("/v1/contacts").status()).isEqualTo(500);
        assertThat(get("/v1/contacts").status()).isEqualTo(500);
        assertThat(get("/v1/contacts").status()).isEqualTo(200);

        crm.malformedNext(Integer.MAX_VALUE);
        Response malformed = get("/v1/contacts");
        assertThat(malformed.status()).isEqualTo(200);
        assertThat(malformed.text()).startsWith("{\"contacts\"").doesNotEndWith("}\n");
        crm.heal();
        assertThat(get("/v1/contacts").body().get("contacts")).isNotEmpty();
    }

    private Response get(String path) throws IOException, InterruptedException {
        return send(path, TOKEN);
    }

    private Response send(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(crm.baseUrl() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private record Response(int status, String text) {

        JsonNode body() throws IOException {
            return Json.mapper().readTree(text);
        }
    }
}
