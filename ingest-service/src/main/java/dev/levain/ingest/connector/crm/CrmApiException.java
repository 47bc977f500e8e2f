package dev.levain.ingest.connector.crm;

/** The CRM API could not be read: unreachable, too slow, an error status, or an answer not as documented. */
public class CrmApiException extends RuntimeException {

    public CrmApiException(String message) {
        super(message);
    }

    public CrmApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
