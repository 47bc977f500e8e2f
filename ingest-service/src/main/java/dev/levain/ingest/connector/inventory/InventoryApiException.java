package dev.levain.ingest.connector.inventory;

/** The inventory API could not be reached, failed, was too slow, or answered something unreadable. */
public class InventoryApiException extends RuntimeException {

    public InventoryApiException(String message) {
        super(message);
    }

    public InventoryApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
