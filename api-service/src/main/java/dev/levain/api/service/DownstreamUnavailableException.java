package dev.levain.api.service;

/**
 * Another Levain service cannot serve an admin request: not configured, not reachable, too slow, refusing our token,
 * or answering what we cannot use.
 */
public class DownstreamUnavailableException extends RuntimeException {

    /** Why, which decides the HTTP status the caller gets. */
    public enum Cause {
        NOT_CONFIGURED(503), UNREACHABLE(503), TIMED_OUT(504), TOKEN_REFUSED(502), BAD_ANSWER(502);

        private final int status;

        Cause(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Cause cause;

    public DownstreamUnavailableException(Cause cause, String message) {
        super(message);
        this.cause = cause;
    }

    public Cause reason() {
        return cause;
    }
}
