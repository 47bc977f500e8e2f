package dev.levain.devstack.bench;

import dev.levain.events.Topics;
import java.util.LinkedHashSet;
import java.util.Set;

/** Why a second normalizer instance did not add throughput, read from where the CPU went in both measurements. */
final class ScalingVerdict {

    private static final String NORMALIZERS = "normalize-service (all instances)";
    private static final double BUSY = 85;
    private static final double NOTICEABLE_CORES = 0.2;

    private ScalingVerdict() {
    }

    /**
     * How throughput grows on a cluster, on paper: from the CPU one normalized event cost each part
     * in the 1-instance measurement, the events/s one core of it sustains; replicas on cores of their
     * own add up until the part with the fewest cores (the database) is the bound.
     */
    static String onACluster(CpuSampler.Usage one, double eventsPerSecond, int partitions, int consumersPerInstance) {
        double normalizerMicros = cores(one, NORMALIZERS) * 1e6 / eventsPerSecond;
        double databaseMicros = one.cores(CpuSampler.POSTGRES) * 1e6 / eventsPerSecond;
        double brokerMicros = one.cores(CpuSampler.BROKER) * 1e6 / eventsPerSecond;
        StringBuilder out = new StringBuilder(String.format("%nOn a cluster, on paper (CPU per normalized event measured above"
                + " with 1 instance)%n"));
        out.append(String.format("  normalize-service %5.0f µs/event -> %,7.0f events/s per core%n", normalizerMicros,
                1e6 / normalizerMicros));
        out.append(String.format("  PostgreSQL        %5.0f µs/event -> %,7.0f events/s per core%n", databaseMicros,
                1e6 / databaseMicros));
        out.append(String.format("  Kafka broker      %5.0f µs/event -> %,7.0f events/s per core (consume + announce)%n",
                brokerMicros, 1e6 / brokerMicros));
        out.append(String.format("  R replicas of one core each, with at least %d×R partitions of %s (each replica runs %d"
                        + " consumers), give about R × %,.0f events/s, until the database's cores are the bound: 10,000"
                        + " events/s needs about %.0f normalizer cores and %.1f database cores.%n", consumersPerInstance,
                Topics.RAW_POS, consumersPerInstance, 1e6 / normalizerMicros, Math.ceil(10_000 * normalizerMicros / 1e6),
                10_000 * databaseMicros / 1e6));
        return out.toString();
    }

    static String why(CpuSampler.Usage one, CpuSampler.Usage two, double ratio, int partitions) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nWhy 2 instances reach only %.2f × 1 instance here%n", ratio));
        out.append(String.format("  %-48s %11s %12s%n", "CPU, in cores' worth", "1 instance", "2 instances"));
        Set<String> parts = new LinkedHashSet<>();
        parts.add(NORMALIZERS);
        one.shares().forEach(s -> parts.add(isNormalizer(s.name()) ? NORMALIZERS : s.name()));
        two.shares().forEach(s -> parts.add(isNormalizer(s.name()) ? NORMALIZERS : s.name()));
        for (String part : parts) {
            out.append(String.format("  %-48s %11.2f %12.2f%n", part, cores(one, part), cores(two, part)));
        }
        out.append(String.format("  %-48s %10.0f%% %11.0f%%%n", "machine busy", one.busyPercent(), two.busyPercent()));
        double normalizer = cores(one, NORMALIZERS);
        if (one.busyPercent() >= BUSY) {
            out.append(String.format("  With one instance the %d cores were already %.0f%% busy: the normalizer used %.2f of them,"
                            + " PostgreSQL, the broker and the load generator most of the rest. A second instance cannot add"
                            + " CPU here, only take it from them and from the first instance, and it brings its own polling,"
                            + " batching and commits. On this machine the pipeline is bound by the cores everything shares,"
                            + " not by one consumer; a second instance adds throughput where it gets cores of its own.%n",
                    one.cores(), one.busyPercent(), normalizer));
        } else {
            out.append(String.format("  With one instance the machine was only %.0f%% busy, so CPU was not the bound: the"
                            + " normalizer spent its time waiting (PostgreSQL commits, which fsync in this durable database;"
                            + " the broker's acks of its announcements; polls). A second instance shares those waits when they"
                            + " are in one database or one broker. %s has %d partitions (consumers per instance above).%n",
                    one.busyPercent(), Topics.RAW_POS, partitions));
        }
        double othersOne = one.cores(CpuSampler.OTHERS);
        double othersTwo = two.cores(CpuSampler.OTHERS);
        if (Math.max(othersOne, othersTwo) >= NOTICEABLE_CORES) {
            out.append(String.format("  Other users of this machine took %.2f cores during the 1-instance run and %.2f during"
                    + " the 2-instance run: these figures move with them.%n", othersOne, othersTwo));
        }
        return out.toString();
    }

    private static boolean isNormalizer(String part) {
        return part.startsWith("normalize-service");
    }

    private static double cores(CpuSampler.Usage usage, String part) {
        if (part.equals(NORMALIZERS)) {
            return usage.shares().stream().filter(s -> isNormalizer(s.name())).mapToDouble(CpuSampler.Share::cores).sum();
        }
        return usage.cores(part);
    }
}
