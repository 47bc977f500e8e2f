package dev.levain.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every successful JSON GET a strong ETag (a hash of the body) and answers 304 with no body when
 * the client already holds it, so a dashboard polling every few seconds moves bytes only on change.
 */
public class EntityTags {

    private final ObjectMapper json;

    public EntityTags(ObjectMapper json) {
        this.json = json;
    }

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) throws JsonProcessingException {
        if (!HttpMethod.GET.equals(request.getMethod()) || response.getStatus() != 200 || !response.hasEntity()
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return;
        }
        Object entity = response.getEntity();
        // Another service's answer is already JSON text: tag it as it is, never serialise it again as a string.
        byte[] body = entity instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : entity instanceof byte[] bytes ? bytes : json.writeValueAsBytes(entity);
        String tag = '"' + hash(body) + '"';
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
        // Private: the body depends on the caller's role and stores; revalidate on every use.
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        String held = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (held != null && matches(held, tag)) {
            response.setStatus(Response.Status.NOT_MODIFIED.getStatusCode());
            response.setEntity(null);
        } else {
            response.setEntity(body, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
        }
    }

    private static boolean matches(String ifNoneMatch, String tag) {
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(held -> held.equals("*") || held.equals(tag) || held.equals("W/" + tag));
    }

    private static String hash(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
