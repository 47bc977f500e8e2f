package dev.levain.events;

/** Connector names and the CloudEvents {@code source} built from them. */
public final class Sources {

    /** Levain's own POS JSON format, pushed to the native webhook endpoint. */
    public static final String POS_NATIVE = "pos-native";

    private Sources() {
    }

    /** {@code levain/<connector>/<tenant-or-location>}. */
    public static String uri(String connector, String location) {
        return "levain/" + connector + "/" + location;
    }
}
