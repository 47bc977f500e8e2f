package dev.levain.devstack.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 load generator that costs little CPU per request, so that on a small machine it does not take the
 * cores the service under test needs: each of {@code connections} keep-alive connections has a thread that writes a
 * whole request in one write and reads the answer (Content-Length or chunked). {@code java.net.http.HttpClient}
 * spent about 0.5 ms of CPU per request on the 2-core development machine (a third of a core at 700 requests/s),
 * which is why it is not used here.
 * Flat out (closed loop: a connection sends its next request as soon as its answer is read) or at a fixed offered
 * rate (open loop: request i is due at i / rate; a late one's latency counts from when it was due, so a stalled
 * server is not hidden by the generator waiting for it). Threads live as long as the generator, so that
 * {@link CpuSampler} sees their CPU time.
 */
final class HttpLoad implements AutoCloseable {

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    private static final int TIMEOUT_MILLIS = 30_000;

    /** One request, made when it is sent (signatures carry the time), and the sale ids it delivers. */
    record Shot(List<String> saleIds, Supplier<byte[]> request) {
    }

    /**
     * What one run did.
     *
     * @param statuses         answers by HTTP status, 0 for no answer (connection refused, reset, timeout)
     * @param seconds          from the first send to the last answer
     * @param okLatency        of the 2xx answers, from writing the request (or its due time) to the whole answer read
     * @param sentAtMillis     wall-clock send time of each sale id answered 2xx (its first such request)
     * @param reportedAccepted the sum of {@code "accepted": n} in 2xx answers that carry it (batches)
     * @param waiting          share of the connections' time spent waiting for answers: near 1 means the server,
     *                         not the generator, set the pace
     */
    record Outcome(int requests, int ok, Map<Integer, Integer> statuses, double seconds, Latencies okLatency,
                   Map<String, Long> sentAtMillis, long reportedAccepted, double waiting) {

        double okPerSecond() {
            return ok / seconds;
        }

        double salesPerSecond() {
            return sentAtMillis.size() / seconds;
        }

        /** Statuses other than 2xx, e.g. {@code 503×12 no answer×3}, or "none". */
        String failures() {
            StringBuilder out = new StringBuilder();
            statuses.forEach((status, count) -> {
                if (status / 100 != 2) {
                    out.append(out.length() == 0 ? "" : " ").append(status == 0 ? "no answer" : status).append('×').append(count);
                }
            });
            return out.length() == 0 ? "none" : out.toString();
        }
    }

    private final InetSocketAddress server;
    private final ExecutorService threads;

    /** A generator for the server of {@code base} (http only), with up to {@code maxConnections} connections. */
    HttpLoad(URI base, int maxConnections) {
        this.server = new InetSocketAddress(base.getHost(), base.getPort());
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(maxConnections, runnable -> {
            Thread thread = new Thread(runnable, "bench-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The bytes of a request: request line, {@code Host}, the given headers, {@code Content-Length} and the body. */
    static byte[] request(String method, URI uri, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return headBytes;
        }
        byte[] whole = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(body, 0, whole, headBytes.length, body.length);
        return whole;
    }

    /** Sends every shot over {@code connections} connections, {@code rate} per second (0: flat out); waits for all answers. */
    Outcome run(List<Shot> shots, int connections, int rate) throws Exception {
        Run run = new Run(shots, rate);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(connections, Math.max(1, shots.size())); i++) {
            workers.add(threads.submit(() -> {
                run.sendOverOneConnection();
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return run.outcome();
    }

    /** The state of one run, shared by its connections; each slot of the arrays is written by one thread only. */
    private final class Run {
        private final List<Shot> shots;
        private final int rate;
        private final int[] status;
        private final long[] latency;
        private final long[] sentAt;
        private final long[] accepted;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicLong lastAnswer = new AtomicLong();
        private final AtomicLong busyNanos = new AtomicLong();
        private final AtomicLong waitingNanos = new AtomicLong();
        private final long begin = System.nanoTime();

        Run(List<Shot> shots, int rate) {
            this.shots = shots;
            this.rate = rate;
            this.status = new int[shots.size()];
            this.latency = new long[shots.size()];
            this.sentAt = new long[shots.size()];
            this.accepted = new long[shots.size()];
        }

        void sendOverOneConnection() {
            Connection connection = null;
            long started = System.nanoTime();
            long waited = 0;
            for (int i = next.getAndIncrement(); i < shots.size(); i = next.getAndIncrement()) {
                long due = begin + (long) (i * 1e9 / Math.max(1, rate));
                if (rate > 0) {
                    long early = due - System.nanoTime();
                    started += Math.max(0, early);
                    LockSupport.parkNanos(early);
                }
                byte[] request = shots.get(i).request().get();
                long start = rate > 0 ? Math.min(due, System.nanoTime()) : System.nanoTime();
                sentAt[i] = System.currentTimeMillis();
                try {
                    if (connection == null) {
                        connection = new Connection(server);
                    }
                    long written = System.nanoTime();
                    Answer answer = connection.exchange(request);
                    long end = System.nanoTime();
                    waited += end - written;
                    latency[i] = end - start;
                    status[i] = answer.status();
                    accepted[i] = answer.accepted();
                    lastAnswer.accumulateAndGet(end, Math::max);
                    if (!answer.keepAlive()) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    status[i] = 0;
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                }
            }
            if (connection != null) {
                connection.close();
            }
            busyNanos.addAndGet(System.nanoTime() - started);
            waitingNanos.addAndGet(waited);
        }

        Outcome outcome() {
            Map<Integer, Integer> statuses = new TreeMap<>();
            Map<String, Long> sales = new HashMap<>();
            List<Long> ok = new ArrayList<>();
            long reported = 0;
            for (int i = 0; i < status.length; i++) {
                statuses.merge(status[i], 1, Integer::sum);
                if (status[i] / 100 == 2) {
                    ok.add(latency[i]);
                    reported += Math.max(0, accepted[i]);
                    for (String sale : shots.get(i).saleIds()) {
                        sales.merge(sale, sentAt[i], Math::min);
                    }
                }
            }
            double seconds = Math.max(1, lastAnswer.get() - begin) / 1e9;
            return new Outcome(status.length, ok.size(), statuses, seconds,
                    Latencies.of(ok.stream().mapToLong(Long::longValue).toArray()), sales, reported,
                    (double) waitingNanos.get() / Math.max(1, busyNanos.get()));
        }
    }

    /** An answer: its status, the {@code "accepted": n} it reports (-1 if none), whether the connection stays open. */
    private record Answer(int status, long accepted, boolean keepAlive) {
    }

    /** One keep-alive connection. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(InetSocketAddress server) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(server, 5_000);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        Answer exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("Not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean keepAlive = parts[0].equals("HTTP/1.1");
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, Math.max(0, colon)).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> keepAlive = !value.contains("close");
                    default -> {
                    }
                }
            }
            byte[] body = chunked ? chunkedBody() : length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
            if (!chunked && length < 0) {
                keepAlive = false;
            }
            Matcher count = ACCEPTED.matcher(new String(body, StandardCharsets.UTF_8));
            return new Answer(status, count.find() ? Long.parseLong(count.group(1)) : -1, keepAlive);
        }

        private byte[] chunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                body.writeBytes(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // Trailers: none expected, read past them.
            }
            return body.toByteArray();
        }

        private int chunkSize() throws IOException {
            String line = line();
            int extension = line.indexOf(';');
            return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
        }

        /** One line without its CRLF, read byte by byte from the buffer. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("Connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a connection we are done with: nothing to do about it.
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
