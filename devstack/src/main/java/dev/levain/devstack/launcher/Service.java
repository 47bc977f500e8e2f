package dev.levain.devstack.launcher;

/** The four Levain services, in the order they start: schema owners before their readers. */
public enum Service {

    NORMALIZE("normalize-service", 2),
    ALERT("alert-service", 3),
    API("api-service", 0),
    INGEST("ingest-service", 1);

    private final String module;
    private final int portOffset;

    Service(String module, int portOffset) {
        this.module = module;
        this.portOffset = portOffset;
    }

    public String module() {
        return module;
    }

    /** The HTTP port given a base port (8080 by default: api 8080, ingest 8081, normalize 8082, alert 8083). */
    public int port(int basePort) {
        return basePort + portOffset;
    }
}
