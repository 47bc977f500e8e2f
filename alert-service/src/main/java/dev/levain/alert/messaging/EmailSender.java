package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import dev.levain.events.mail.SmtpMailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Sends alert emails over SMTP ({@code levain.smtp.*}); accepted once the SMTP server accepted the message. Each
 * send has its own connection and every step is bounded by {@code levain.alert.email.timeout}: past it, the send
 * failed and the outbox retries it.
 */
@ApplicationScoped
public class EmailSender {

    private final SmtpMailer smtp;
    private final AlertConfig config;

    public EmailSender(Config settings, AlertConfig config) {
        this.smtp = new SmtpMailer(SmtpMailer.Settings.from(key -> settings.getOptionalValue(key, String.class),
                config.email().timeout()));
        this.config = config;
    }

    public DeliveryResult send(EmailMessage message) {
        List<String> to = config.email().to().orElse(List.of());
        if (to.isEmpty()) {
            return DeliveryResult.failed(null, Optional.empty(), "No recipients configured (levain.alert.email.to)");
        }
        try {
            smtp.send(new SmtpMailer.Mail(config.email().from(), to, message.subject(), message.text(), message.html(),
                    List.of()));
            return DeliveryResult.accepted(null);
        } catch (MessagingException | RuntimeException e) {
            // Logged and kept: a server's refusal names the address, which logs must not show.
            return DeliveryResult.failed(null, Optional.empty(), "SMTP: " + SmtpMailer.withoutAddresses(rootMessage(e)));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
