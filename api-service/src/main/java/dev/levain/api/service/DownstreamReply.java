package dev.levain.api.service;

import java.util.Optional;

/** What another Levain service answered: status, media type, body as sent, and its Location if any. */
public record DownstreamReply(int status, String contentType, String body, Optional<String> location) {
}
