package dev.levain.devstack.simulator.mail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local mail catcher for {@code levain up}: a small SMTP server (no auth, no TLS) that keeps every
 * message, and an HTTP page listing them ({@code GET /}, raw message at {@code GET /mail/<n>}).
 */
public final class MailCatcher implements AutoCloseable {

    private static final int REMEMBERED = 500;

    /** One accepted message: envelope, subject and the raw RFC 5322 text. */
    public record Caught(Instant at, String from, List<String> to, String subject, String raw) {
    }

    private final ServerSocket smtp;
    private final HttpServer http;
    private final ExecutorService workers;
    private final List<Caught> caught = new ArrayList<>();

    private MailCatcher(ServerSocket smtp, HttpServer http, ExecutorService workers) {
        this.smtp = smtp;
        this.http = http;
        this.workers = workers;
    }

    /** Starts SMTP and HTTP on free loopback ports. */
    public static MailCatcher start() {
        try {
            ServerSocket smtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "mail-catcher");
                thread.setDaemon(true);
                return thread;
            });
            MailCatcher catcher = new MailCatcher(smtp, http, workers);
            http.createContext("/", catcher::page);
            http.setExecutor(workers);
            http.start();
            workers.submit(catcher::accept);
            return catcher;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the mail catcher", e);
        }
    }

    public int smtpPort() {
        return smtp.getLocalPort();
    }

    public String webUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public synchronized List<Caught> caught() {
        return List.copyOf(caught);
    }

    private void accept() {
        while (!smtp.isClosed()) {
            try {
                Socket client = smtp.accept();
                workers.submit(() -> converse(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Just enough SMTP for a mail client: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. */
    private void converse(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream out = client.getOutputStream()) {
            reply(out, "220 levain-mail-catcher ESMTP");
            String from = null;
            List<String> to = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> reply(out, "250-levain-mail-catcher\r\n250-8BITMIME\r\n250 SIZE 10485760");
                    case "HELO" -> reply(out, "250 levain-mail-catcher");
                    case "MAIL" -> {
                        from = address(line);
                        to.clear();
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        to.add(address(line));
                        reply(out, "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        keep(from, to, data(in));
                        reply(out, "250 OK: queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 Bye");
                        return;
                    }
                    case "RSET" -> {
                        from = null;
                        to.clear();
                        reply(out, "250 OK");
                    }
                    default -> reply(out, "250 OK");
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to keep.
        }
    }

    private static String data(BufferedReader in) throws IOException {
        StringBuilder raw = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !".".equals(line)) {
            raw.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
        }
        return raw.toString();
    }

    private synchronized void keep(String from, List<String> to, String raw) {
        if (caught.size() >= REMEMBERED) {
            caught.remove(0);
        }
        String subject = raw.lines().filter(l -> l.regionMatches(true, 0, "Subject:", 0, 8)).findFirst()
                .map(l -> l.substring(8).trim()).orElse("(no subject)");
        caught.add(new Caught(Instant.now(), from, List.copyOf(to), subject, raw));
    }

    private static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>');
        return open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(line.indexOf(':') + 1).trim();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<Caught> mails = caught();
            String path = exchange.getRequestURI().getPath();
            String body;
            String type = "text/html; charset=utf-8";
            if (path.startsWith("/mail/")) {
                int index = index(path.substring("/mail/".length()));
                body = index >= 0 && index < mails.size() ? mails.get(index).raw() : "no such mail";
                type = "text/plain; charset=utf-8";
            } else {
                StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">"
                        + "<meta http-equiv=\"refresh\" content=\"10\"><title>Mail catcher</title></head><body>"
                        + "<h1>Mail catcher: emails received</h1><table border=\"1\" cellpadding=\"4\">"
                        + "<tr><th>received</th><th>to</th><th>subject</th></tr>");
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < mails.size(); i++) {
                    order.add(i);
                }
                Collections.reverse(order);
                for (int i : order) {
                    Caught mail = mails.get(i);
                    html.append("<tr><td>").append(mail.at()).append("</td><td>").append(escape(String.join(", ", mail.to())))
                            .append("</td><td><a href=\"/mail/").append(i).append("\">").append(escape(mail.subject()))
                            .append("</a></td></tr>");
                }
                body = html.append("</table></body></html>").toString();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static int index(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        try {
            smtp.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        http.stop(0);
        workers.shutdownNow();
    }
}
