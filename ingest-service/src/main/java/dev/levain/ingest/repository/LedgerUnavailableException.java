package dev.levain.ingest.repository;

/** The ingest database could not be reached or refused a write; unless it is down altogether, the input is refused (503). */
public class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
