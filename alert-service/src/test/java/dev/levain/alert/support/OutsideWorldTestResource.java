package dev.levain.alert.support;

import com.icegreen.greenmail.util.ServerSetup;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/** Starts the Slack stand-in and GreenMail once, points alert-service at them, and injects them as {@link OutsideWorld}. */
public class OutsideWorldTestResource implements QuarkusTestResourceLifecycleManager {

    private OutsideWorld world;

    @Override
    public Map<String, String> start() {
        ServerSetup smtp = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        world = new OutsideWorld(SlackStandIn.start(0), smtp);
        return Map.of(
                "levain.alert.slack.webhook-url", world.slack().webhookUrl(),
                "levain.alert.email.to", OutsideWorld.MAIL_TO,
                "levain.smtp.host", "127.0.0.1",
                "levain.smtp.port", Integer.toString(world.smtpPort()));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(world, new TestInjector.MatchesType(OutsideWorld.class));
    }

    @Override
    public void stop() {
        if (world != null) {
            world.close();
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
