package dev.levain.ingest.connector.crm;

import dev.levain.ingest.config.CrmConfig;
import dev.levain.ingest.config.IngestConfig;
import dev.levain.ingest.connector.http.ResponseBodies;
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

/** Calls the CRM's contacts API: {@code GET <api-base-url>/v1/contacts}, Bearer-authenticated, one page at a time. */
@ApplicationScoped
public class CrmApiClient {

    private final CrmConfig config;
    private final HttpClient http;
    private final HttpResponse.BodyHandler<byte[]> bodies;

    public CrmApiClient(CrmConfig config, IngestConfig ingest) {
        this.config = config;
        this.bodies = ResponseBodies.upTo(ingest.maxUpstreamResponseSize().asLongValue());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .build();
    }

    /**
     * The page of contacts updated at or after {@code updatedSince}, from {@code pageToken} ({@code null}
     * for the first page).
     *
     * @throws CrmApiException when the CRM is unreachable, slower than {@code levain.ingest.crm.timeout},
     *                         answers an error status, a page not as documented, or one larger than
     *                         {@code levain.ingest.max-upstream-response-size}
     */
    public CrmPage contacts(Instant updatedSince, String pageToken) {
        URI uri = pageUri(updatedSince, pageToken);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Accept", "application/json")
                .GET();
        config.apiToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<byte[]> response = send(request.build(), uri);
        if (response.statusCode() / 100 != 2) {
            throw new CrmApiException("CRM API answered HTTP " + response.statusCode() + " to GET " + uri);
        }
        return CrmPage.parse(response.body());
    }

    private HttpResponse<byte[]> send(HttpRequest request, URI uri) {
        try {
            return http.send(request, bodies);
        } catch (HttpTimeoutException e) {
            throw new CrmApiException("CRM API did not answer within " + config.timeout() + " (GET " + uri + ")", e);
        } catch (IOException e) {
            ResponseBodies.tooLarge(e).ifPresent(tooLarge -> {
                throw new CrmApiException("CRM API answer to GET " + uri + " refused: " + tooLarge.getMessage(), e);
            });
            throw new CrmApiException("CRM API unreachable (GET " + uri + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrmApiException("Interrupted while calling the CRM API", e);
        }
    }

    private URI pageUri(Instant updatedSince, String pageToken) {
        String base = config.apiBaseUrl()
                .orElseThrow(() -> new CrmApiException("levain.ingest.crm.api-base-url is not set; the CRM cannot be pulled"))
                .toString();
        String query = "updated_since=" + encode(updatedSince.toString()) + "&limit=" + config.pageSize()
                + (pageToken == null ? "" : "&page_token=" + encode(pageToken));
        return URI.create(base.replaceAll("/+$", "") + "/v1/contacts?" + query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
