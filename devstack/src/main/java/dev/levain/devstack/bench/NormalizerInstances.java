package dev.levain.devstack.bench;

import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.launcher.ServiceProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged normalize-service instances of a benchmark run, all in one consumer group. Instance 1 keeps its log
 * in {@code logs/} and its pid file in {@code run/}; instance k in {@code logs-k/} and {@code run-k/}, so that
 * neither collides.
 */
final class NormalizerInstances implements AutoCloseable {

    private final Path home;
    private final Path data;
    private final Map<String, String> environment;
    private final List<ServiceProcess> running = new ArrayList<>();

    NormalizerInstances(Path home, Path data, Map<String, String> environment) {
        this.home = home;
        this.data = data;
        this.environment = Map.copyOf(environment);
    }

    /** Starts one more instance and waits until it is ready. */
    void startOne() {
        int number = running.size() + 1;
        String suffix = number == 1 ? "" : "-" + number;
        running.add(ServiceProcess.start(home, Service.NORMALIZE, Ports.free(), environment,
                data.resolve("logs" + suffix), data.resolve("run" + suffix)));
    }

    /** Stops the instances after the first {@code keep}, last started first. */
    void keepOnly(int keep) {
        while (running.size() > keep) {
            running.remove(running.size() - 1).close();
        }
    }

    int count() {
        return running.size();
    }

    /** One CPU group per running instance. */
    List<CpuSampler.Group> cpuGroups() {
        List<CpuSampler.Group> groups = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            long pid = running.get(i).pid();
            groups.add(new CpuSampler.Group("normalize-service #" + (i + 1), () -> List.of(pid)));
        }
        return groups;
    }

    @Override
    public void close() {
        keepOnly(0);
    }
}
