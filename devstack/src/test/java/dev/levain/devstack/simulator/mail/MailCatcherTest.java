package dev.levain.devstack.simulator.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MailCatcherTest {

    @Test
    void keepsAMailSentOverSmtpAndListsIt() throws Exception {
        try (MailCatcher catcher = MailCatcher.start();
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), catcher.smtpPort());
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            say(out, "EHLO test");
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            say(out, "MAIL FROM:<alerts@levain.local>");
            assertThat(in.readLine()).startsWith("250");
            say(out, "RCPT TO:<owner@panpan.example>");
            assertThat(in.readLine()).startsWith("250");
            say(out, "DATA");
            assertThat(in.readLine()).startsWith("354");
            say(out, "Subject: [Levain] FIRING: Low stock at PAR-01\r\n\r\nCroissant: on hand 2\r\n..dot line\r\n.");
            assertThat(in.readLine()).startsWith("250");
            say(out, "QUIT");
            assertThat(in.readLine()).startsWith("221");

            assertThat(catcher.caught()).singleElement().satisfies(mail -> {
                assertThat(mail.subject()).isEqualTo("[Levain] FIRING: Low stock at PAR-01");
                assertThat(mail.to()).containsExactly("owner@panpan.example");
                assertThat(mail.raw()).contains("Croissant: on hand 2", "\r\n.dot line");
            });
            String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(catcher.webUrl())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("[Levain] FIRING: Low stock at PAR-01", "owner@panpan.example");
        }
    }

    private static void say(OutputStream out, String text) throws Exception {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
