package dev.levain.events;

import org.jboss.logging.MDC;

/**
 * What a log line carries beside its message, for the work it is about: the store ({@code mdc.store} in the JSON
 * logs), next to the trace id OpenTelemetry puts there. Set for the span of that work on its thread, then cleared.
 */
public final class LogContext {

    public static final String STORE = "store";

    private LogContext() {
    }

    /** The store the current work is about; null (or blank) clears it. */
    public static void store(String code) {
        if (code == null || code.isBlank()) {
            MDC.remove(STORE);
        } else {
            MDC.put(STORE, code);
        }
    }
}
