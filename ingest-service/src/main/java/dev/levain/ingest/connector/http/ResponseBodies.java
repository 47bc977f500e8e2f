package dev.levain.ingest.connector.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads the answers of outside APIs into memory up to a limit ({@code levain.ingest.max-upstream-response-size}):
 * an answer that says it is larger, or turns out larger while it streams in, fails the exchange with
 * {@link ResponseTooLargeException} at once, and the rest of it is not read.
 */
public final class ResponseBodies {

    private ResponseBodies() {
    }

    /** A body handler keeping at most {@code max} bytes; past them the exchange fails. */
    public static HttpResponse.BodyHandler<byte[]> upTo(long max) {
        return answer -> new Bounded(max, answer.headers().firstValueAsLong("Content-Length"));
    }

    /** The size refusal among the causes of {@code failure}, when that is why an exchange failed. */
    public static Optional<ResponseTooLargeException> tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseTooLargeException tooLarge) {
                return Optional.of(tooLarge);
            }
        }
        return Optional.empty();
    }

    /** Collects the body's buffers until the end, or refuses it once they pass the limit. Signals arrive one at a time. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {

        private final long max;
        private final OptionalLong declared;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final List<byte[]> chunks = new ArrayList<>();
        private long received;
        private Flow.Subscription subscription;

        private Bounded(long max, OptionalLong declared) {
            this.max = max;
            this.declared = declared;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared.isPresent() && declared.getAsLong() > max) {
                refuse(new ResponseTooLargeException(max, declared.getAsLong()));
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                received += buffer.remaining();
                if (received > max) {
                    refuse(new ResponseTooLargeException(max, -1));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                chunks.add(chunk);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            if (body.isDone()) {
                return;
            }
            byte[] whole = new byte[(int) received];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, whole, at, chunk.length);
                at += chunk.length;
            }
            chunks.clear();
            body.complete(whole);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        private void refuse(ResponseTooLargeException tooLarge) {
            chunks.clear();
            // Failed first: cancelling may make the client report a failure of its own, which must not win.
            body.completeExceptionally(tooLarge);
            subscription.cancel();
        }
    }
}
