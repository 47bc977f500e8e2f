package dev.levain.api.rest;

import dev.levain.api.service.DownstreamReply;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Hands another service's answer to the caller as it came: status, media type (problem+json stays so) and body. */
final class DownstreamResponses {

    private DownstreamResponses() {
    }

    static Response of(DownstreamReply reply) {
        return Response.status(reply.status()).header(HttpHeaders.CONTENT_TYPE, reply.contentType())
                .entity(reply.body()).build();
    }

    /** As {@link #of}, with a Location below {@code downstreamPrefix} moved below {@code ourPrefix}. */
    static Response of(DownstreamReply reply, String downstreamPrefix, String ourPrefix) {
        Response.ResponseBuilder response = Response.fromResponse(of(reply));
        reply.location().ifPresent(location -> {
            int at = location.indexOf(downstreamPrefix);
            if (at >= 0) {
                response.header(HttpHeaders.LOCATION, ourPrefix + location.substring(at + downstreamPrefix.length()));
            }
        });
        return response.build();
    }
}
