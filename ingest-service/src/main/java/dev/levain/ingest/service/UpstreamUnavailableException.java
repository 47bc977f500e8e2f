package dev.levain.ingest.service;

/**
 * An outside system that must be asked before an input can be accepted (a POS vendor's Orders API) did
 * not answer in time or failed: nothing was accepted, the sender must retry (503).
 */
public class UpstreamUnavailableException extends RuntimeException {

    public UpstreamUnavailableException(String message) {
        super(message);
    }

    public UpstreamUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
