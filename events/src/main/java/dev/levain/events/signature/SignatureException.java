package dev.levain.events.signature;

/** A webhook whose signature is missing, malformed, stale or wrong; the message says which. */
public class SignatureException extends RuntimeException {

    public SignatureException(String message) {
        super(message);
    }
}
