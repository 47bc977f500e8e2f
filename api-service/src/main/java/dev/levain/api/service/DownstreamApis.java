package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The admin APIs api-service calls for admins: normalize-service (replay) and alert-service (rules). */
@ApplicationScoped
public class DownstreamApis {

    private final DownstreamApi normalize;
    private final DownstreamApi alert;

    public DownstreamApis(ApiConfig config) {
        this.normalize = new DownstreamApi("normalize-service", "levain.api.normalize", config.normalize());
        this.alert = new DownstreamApi("alert-service", "levain.api.alert", config.alert());
    }

    public DownstreamApi normalize() {
        return normalize;
    }

    public DownstreamApi alert() {
        return alert;
    }
}
