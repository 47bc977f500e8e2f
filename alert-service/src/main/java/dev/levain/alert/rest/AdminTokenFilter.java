package dev.levain.alert.rest;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.service.NotAuthenticatedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /api/v1/alerts} request needs {@code Authorization: Bearer <levain.alert.admin-token>}
 * until issue 6 brings JWT roles. Compared in constant time; no token configured = all refused.
 */
public class AdminTokenFilter {

    static final String API_PREFIX = "/api/v1/alerts";
    private static final String BEARER = "Bearer ";

    private final AlertConfig config;

    public AdminTokenFilter(AlertConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void requireAdminToken(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(API_PREFIX)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String expected = config.adminToken().filter(token -> !token.isBlank())
                .orElseThrow(() -> new NotAuthenticatedException("No admin token is configured (levain.alert.admin-token)"));
        if (header == null || !header.startsWith(BEARER)) {
            throw new NotAuthenticatedException("Authorization: Bearer <admin token> is required");
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8))) {
            throw new NotAuthenticatedException("The admin token is not valid");
        }
    }
}
