package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Another Levain service's admin API, called on an admin's behalf with that service's own admin token
 * (the caller's JWT never leaves api-service). Its answer is handed back as it came, except a refusal of
 * our token, which is our misconfiguration and not the caller's fault.
 */
public final class DownstreamApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final String service;
    private final String setting;
    private final Optional<URI> base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient client;

    DownstreamApi(String service, String setting, ApiConfig.Downstream config) {
        this.service = service;
        this.setting = setting;
        this.base = config.url().filter(url -> !url.isBlank()).map(url -> URI.create(url.endsWith("/") ? url : url + "/"));
        this.token = config.token().filter(value -> !value.isBlank());
        this.timeout = config.timeout();
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends {@code method} to {@code path} (relative, e.g. {@code api/v1/alerts/rules}) with a JSON body or none. */
    public DownstreamReply send(String method, String path, String jsonBody) {
        URI uri = base.orElseThrow(() -> new DownstreamUnavailableException(DownstreamUnavailableException.Cause.NOT_CONFIGURED,
                service + " is not configured (" + setting + ".url)")).resolve(path);
        String bearer = token.orElseThrow(() -> new DownstreamUnavailableException(
                DownstreamUnavailableException.Cause.NOT_CONFIGURED, service + " is not configured (" + setting + ".token)"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json, application/problem+json")
                .header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new DownstreamUnavailableException(DownstreamUnavailableException.Cause.TIMED_OUT,
                    service + " at " + base.get() + " did not answer within " + timeout + "; the request may still be running");
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new DownstreamUnavailableException(DownstreamUnavailableException.Cause.TOKEN_REFUSED,
                    service + " refused api-service's admin token (" + setting + ".token)");
        }
        return new DownstreamReply(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse("application/json"), response.body(),
                response.headers().firstValue("Location"));
    }

    private DownstreamUnavailableException unreachable(Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DownstreamUnavailableException(DownstreamUnavailableException.Cause.UNREACHABLE,
                service + " is not reachable at " + base.get() + " (" + why + ")");
    }
}
