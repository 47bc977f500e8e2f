package dev.levain.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Port helpers: devstack binds to loopback only. */
public final class Ports {

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
     * between this check and the server's bind.
     */
    public static int freeRange(int count) {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + random.nextInt(12000);
            boolean allFree = true;
            for (int port = base; port < base + count && allFree; port++) {
                allFree = !inUse(port);
            }
            if (allFree) {
                return base;
            }
        }
        throw new IllegalStateException("No " + count + " consecutive free ports on loopback");
    }
}
