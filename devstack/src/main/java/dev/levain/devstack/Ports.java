package dev.levain.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers: devstack binds to loopback only. */
public final class Ports {

    /**
     * Every port handed out by this JVM: a port chosen for a server that has not bound it yet (a replica started
     * later, a process restarted) is still free to the check, and must not be handed out twice.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port that is free on 127.0.0.1 right now. */
    public static int free() {
        return freeRange(1);
    }

    /** {@code port}, or a free one when {@code port} is 0. */
    public static int orFree(int port) {
        return port == 0 ? free() : port;
    }

    /** Whether something already listens on 127.0.0.1:{@code port}. */
    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The first of {@code count} consecutive ports that are all free on 127.0.0.1 right now,
     * taken below Linux's ephemeral range (32768+) so that no outgoing connection grabs one
     * between this check and the server's bind, and never one this JVM handed out before.
     */
    public static synchronized int freeRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + ThreadLocalRandom.current().nextInt(12000);
            boolean allFree = true;
            for (int port = base; port < base + count && allFree; port++) {
                allFree = !HANDED_OUT.contains(port) && !inUse(port);
            }
            if (allFree) {
                for (int port = base; port < base + count; port++) {
                    HANDED_OUT.add(port);
                }
                return base;
            }
        }
        throw new IllegalStateException("No " + count + " consecutive free ports on loopback");
    }
}
