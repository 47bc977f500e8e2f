package dev.levain.api.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Makes api-service under test trust the tokens of {@link TestTokens}, and mail its reports to a real SMTP
 * server, GreenMail, which tests read through {@link #mailbox()}.
 */
public class ApiTestResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail mailbox;

    @Override
    public Map<String, String> start() {
        ServerSetup smtp = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        mailbox = new GreenMail(smtp);
        mailbox.start();
        return Map.of("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString(),
                "levain.smtp.host", "127.0.0.1",
                "levain.smtp.port", Integer.toString(smtp.getPort()),
                "levain.smtp.start-tls", "DISABLED");
    }

    /** The SMTP server api-service sends to. */
    public static GreenMail mailbox() {
        return mailbox;
    }

    @Override
    public void stop() {
        if (mailbox != null) {
            mailbox.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
