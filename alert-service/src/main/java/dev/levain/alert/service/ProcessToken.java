package dev.levain.alert.service;

import java.util.UUID;

/** Names this process in claims and leases: the pod (HOSTNAME in Kubernetes) and this start of it. */
final class ProcessToken {

    private ProcessToken() {
    }

    /** A new token, unique to the caller: two beans (or two test "replicas") never share one. */
    static String next() {
        return System.getenv().getOrDefault("HOSTNAME", "alert-service") + "/" + UUID.randomUUID();
    }
}
