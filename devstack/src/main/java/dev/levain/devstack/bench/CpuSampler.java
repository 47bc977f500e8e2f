package dev.levain.devstack.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the machine's CPU time went between two moments, read from Linux's {@code /proc}: each process group
 * of the benchmark (service JVMs, PostgreSQL with all its backends), the threads of this JVM split into the
 * embedded Kafka broker, the simulators and the load generator, and the rest of the machine (other users of a
 * shared machine). Linux only; elsewhere every figure reads 0.
 */
final class CpuSampler {

    /** Processes outside this JVM counted together, looked up at each snapshot (instances come and go). */
    record Group(String name, Supplier<Collection<Long>> pids) {
    }

    /** CPU counters at one moment; ticks are Linux clock ticks, thread times nanoseconds. */
    record Snapshot(long nanos, long machineTicks, long idleTicks, Map<String, Map<Long, Long>> groupTicks,
                    long selfTicks, Map<String, Map<Long, Long>> threadNanos, String loadAverage) {
    }

    /** CPU used by one part between two snapshots, in cores' worth and as a share of the machine's capacity. */
    record Share(String name, double cores, double percent) {
    }

    /** Shares between two snapshots, the busy share of the machine and its load average at the end. */
    record Usage(double seconds, int cores, double busyPercent, String loadAverage, List<Share> shares) {

        double cores(String name) {
            return shares.stream().filter(s -> s.name().equals(name)).mapToDouble(Share::cores).sum();
        }

        /** The shares as indented table rows. */
        String table(String indent) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("%swhere the CPU went over %.1f s on %d cores: machine %.0f%% busy, load average %s%n",
                    indent, seconds, cores, busyPercent, loadAverage));
            for (Share share : shares) {
                out.append(String.format("%s  %-48s %5.2f cores  %5.1f%%%n", indent, share.name(), share.cores(),
                        share.percent()));
            }
            return out.toString();
        }
    }

    static final String POSTGRES = "PostgreSQL (postmaster and backends)";
    static final String BROKER = "Kafka broker (threads of the bench JVM)";
    static final String SIMULATORS = "simulated Square/CRM/inventory (bench JVM)";
    static final String GENERATOR = "load generator (threads of the bench JVM)";
    static final String JVM_REST = "bench JVM: GC, JIT, threads that ended";
    static final String OTHERS = "rest of the machine (not this benchmark)";
    static final String IDLE = "idle";

    private static final Path PROC = Path.of("/proc");
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Group> groups;

    CpuSampler(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@code /proc/loadavg}: the 1, 5 and 15 minute load averages, running/all tasks. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(PROC.resolve("loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    Snapshot take() {
        long[] machine = machineTicks();
        Map<String, Map<Long, Long>> byGroup = new LinkedHashMap<>();
        for (Group group : groups) {
            Map<Long, Long> ticks = new HashMap<>();
            for (long pid : group.pids().get()) {
                ticks.put(pid, processTicks(pid));
            }
            byGroup.put(group.name(), ticks);
        }
        Map<String, Map<Long, Long>> byThreadKind = new HashMap<>();
        for (String kind : List.of(BROKER, SIMULATORS, GENERATOR)) {
            byThreadKind.put(kind, new HashMap<>());
        }
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                byThreadKind.get(kind(info.getThreadName())).put(info.getThreadId(), nanos);
            }
        }
        return new Snapshot(System.nanoTime(), machine[0], machine[1], byGroup, processTicks(ProcessHandle.current().pid()),
                byThreadKind, loadAverage());
    }

    /**
     * The share of each part between {@code from} and {@code to}. Clock ticks are converted with the machine's
     * own rate (all ticks counted / elapsed time / cores), so no {@code CLK_TCK} is assumed.
     */
    Usage between(Snapshot from, Snapshot to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        int cores = cores();
        double machine = Math.max(1, to.machineTicks() - from.machineTicks());
        double ticksPerSecondPerCore = machine / seconds / cores;
        List<Share> shares = new ArrayList<>();
        double counted = 0;
        for (Group group : groups) {
            double ticks = delta(from.groupTicks().get(group.name()), to.groupTicks().get(group.name()));
            shares.add(share(group.name(), ticks, machine, cores));
            counted += ticks;
        }
        // This JVM's threads by kind; what is left of its time went to GC, JIT and threads that ended meanwhile.
        double self = to.selfTicks() - from.selfTicks();
        double rest = self;
        for (String kind : List.of(BROKER, SIMULATORS, GENERATOR)) {
            double ticks = Math.min(rest, delta(from.threadNanos().get(kind), to.threadNanos().get(kind)) / 1e9
                    * ticksPerSecondPerCore);
            if (ticks > 0 || !kind.equals(SIMULATORS)) {
                shares.add(share(kind, ticks, machine, cores));
            }
            rest -= ticks;
        }
        shares.add(share(JVM_REST, Math.max(0, rest), machine, cores));
        counted += self;
        double idle = to.idleTicks() - from.idleTicks();
        shares.add(share(OTHERS, Math.max(0, machine - idle - counted), machine, cores));
        shares.add(share(IDLE, idle, machine, cores));
        return new Usage(seconds, cores, 100 * (machine - idle) / machine, to.loadAverage(), shares);
    }

    /** The machine's busy share since {@code from}, for progress lines. */
    double busyPercentSince(Snapshot from) {
        long[] now = machineTicks();
        double machine = Math.max(1, now[0] - from.machineTicks());
        return 100 * (machine - (now[1] - from.idleTicks())) / machine;
    }

    private static Share share(String name, double ticks, double machineTicks, int cores) {
        return new Share(name, cores * ticks / machineTicks, 100 * ticks / machineTicks);
    }

    /** Time used by each process or thread between two snapshots; one that started in between counts from 0. */
    private static double delta(Map<Long, Long> from, Map<Long, Long> to) {
        double sum = 0;
        for (Map.Entry<Long, Long> now : to.entrySet()) {
            sum += Math.max(0, now.getValue() - from.getOrDefault(now.getKey(), 0L));
        }
        return sum;
    }

    /**
     * Which part of this JVM a thread belongs to, by the names Kafka, devstack and the benchmark give their threads:
     * the benchmark's own (main, bench-*, its Kafka producer and admin client) and the simulators'; all others are
     * the broker's.
     */
    private static String kind(String thread) {
        if (thread.startsWith("square-") || thread.startsWith("crm-simulator") || thread.startsWith("inventory-simulator")) {
            return SIMULATORS;
        }
        if (thread.equals("main") || thread.startsWith("bench-") || thread.startsWith("kafka-producer-network-thread")
                || thread.startsWith("kafka-admin-client-thread")) {
            return GENERATOR;
        }
        return BROKER;
    }

    /** user + system + idle (with iowait) ticks of all CPUs, from the first line of {@code /proc/stat}. */
    private static long[] machineTicks() {
        try {
            String[] cpu = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal; guest time is already in user.
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return new long[] {total, Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * utime + stime of a process, plus the time of its children that ended ({@code cutime + cstime}): a PostgreSQL
     * backend that exits between two snapshots moves its time into the postmaster's children's time.
     */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // The command name may hold spaces and parentheses: fields are counted after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A process and every process below it (PostgreSQL's postmaster and its backends). */
    static List<Long> withDescendants(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(parent -> {
            pids.add(parent.pid());
            parent.descendants().forEach(child -> pids.add(child.pid()));
        });
        return pids;
    }
}
