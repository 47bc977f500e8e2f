package dev.levain.ingest.connector.http;

import java.io.IOException;

/** An outside API's answer is larger than {@code levain.ingest.max-upstream-response-size}; it was not read. */
public class ResponseTooLargeException extends IOException {

    public ResponseTooLargeException(long max, long declared) {
        super((declared >= 0 ? "the answer is " + declared + " bytes, larger" : "the answer is larger") + " than the "
                + max + " bytes allowed (levain.ingest.max-upstream-response-size)");
    }
}
