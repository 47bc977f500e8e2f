package dev.levain.ingest.rest;

import dev.levain.ingest.service.PayloadTooLargeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads request bodies with a limit of their own. The HTTP layer's limit must fit the largest upload,
 * so every endpoint takes its body as a stream (unbuffered on a worker thread) and stops at its limit.
 */
public final class RequestBodies {

    private static final long MAX_DRAIN = 64L * 1024 * 1024;

    private RequestBodies() {
    }

    /** The whole body, or {@link PayloadTooLargeException} once it passes {@code max} bytes. */
    public static byte[] read(InputStream body, Long contentLength, long max) {
        refuseDeclaredLength(contentLength, max);
        try {
            byte[] bytes = body.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > max) {
                drain(body);
                throw new PayloadTooLargeException("The body is larger than the " + max + " bytes allowed here");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the request body", e);
        }
    }

    /** Refuses at once a body whose declared length is over {@code max}, before reading any of it. */
    public static void refuseDeclaredLength(Long contentLength, long max) {
        if (contentLength != null && contentLength > max) {
            throw new PayloadTooLargeException("The body is " + contentLength + " bytes; " + max + " are allowed here");
        }
    }

    /**
     * Reads and drops the rest of a refused body (up to a bound), so that the sender, still writing, gets
     * to read the 413 instead of a reset connection.
     */
    public static void drain(InputStream body) {
        try {
            body.transferTo(new BoundedSink());
        } catch (IOException | IllegalStateException e) {
            // The connection is closed or the sender kept going: it will see the connection end instead.
        }
    }

    /** Discards what it is given, up to {@link #MAX_DRAIN}. */
    private static final class BoundedSink extends ByteArrayOutputStream {

        private long seen;

        @Override
        public void write(byte[] b, int off, int len) {
            seen += len;
            if (seen > MAX_DRAIN) {
                throw new IllegalStateException("Refused body keeps coming");
            }
        }
    }
}
