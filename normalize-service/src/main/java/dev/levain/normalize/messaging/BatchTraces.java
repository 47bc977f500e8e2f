package dev.levain.normalize.messaging;

import dev.levain.normalize.service.RawEnvelope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The span of one batch: the trace of its first event goes on in it (so the batch's log lines and announcements
 * carry that trace id, the one of a single webhook's sale or of a whole CSV upload), and it links to the traces of
 * the batch's other events, each read from its record's W3C {@code traceparent} header.
 */
@ApplicationScoped
public class BatchTraces {

    /** OpenTelemetry's default limit of links a span keeps. */
    private static final int MAX_LINKS = 128;
    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, String> headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public BatchTraces(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.levain.normalize");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts the span of normalizing {@code raws} from {@code topic}; the caller makes it current and ends it. */
    public Span start(String topic, List<RawEnvelope> raws) {
        SpanBuilder span = tracer.spanBuilder("normalize " + topic).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.batch.message_count", raws.size());
        SpanContext first = null;
        Set<String> linked = new HashSet<>();
        for (RawEnvelope raw : raws) {
            SpanContext event = Span.fromContext(propagator.extract(Context.root(), raw.headers(), HEADERS)).getSpanContext();
            if (!event.isValid()) {
                continue;
            }
            if (first == null) {
                first = event;
                span.setParent(Context.root().with(Span.wrap(event)));
                linked.add(event.getTraceId());
            } else if (linked.size() < MAX_LINKS && linked.add(event.getTraceId())) {
                span.addLink(event);
            }
        }
        if (first == null) {
            span.setNoParent();
        }
        return span.startSpan();
    }
}
