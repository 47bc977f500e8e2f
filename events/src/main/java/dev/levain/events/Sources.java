package dev.levain.events;

/** Connector names and the CloudEvents {@code source} built from them. */
public final class Sources {

    /** Levain's own POS JSON format, pushed to the native webhook endpoint. */
    public static final String POS_NATIVE = "pos-native";
    /** Square: webhooks plus orders fetched from its Orders API. */
    public static final String POS_SQUARE = "pos-square";
    /** Sales exports uploaded as CSV files. */
    public static final String POS_CSV = "pos-csv";
    /** The CRM: contacts pulled, pushed by webhook, or imported from CSV. */
    public static final String CRM = "crm";
    /** Contacts imported from a CSV file. */
    public static final String CRM_CSV = "crm-csv";
    /** The inventory system: stock levels and the product catalog, pulled or pushed. */
    public static final String INVENTORY = "inventory";

    private Sources() {
    }

    /** {@code levain/<connector>/<tenant-or-location>}. */
    public static String uri(String connector, String location) {
        return "levain/" + connector + "/" + location;
    }
}
