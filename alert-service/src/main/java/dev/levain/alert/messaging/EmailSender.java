package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Sends alert emails through SMTP (quarkus-mailer); accepted once the SMTP server accepted the message. */
@ApplicationScoped
public class EmailSender {

    private final Mailer mailer;
    private final AlertConfig config;

    public EmailSender(Mailer mailer, AlertConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    public DeliveryResult send(EmailMessage message) {
        List<String> to = config.email().to().orElse(List.of());
        if (to.isEmpty()) {
            return DeliveryResult.failed(null, Optional.empty(), "No recipients configured (levain.alert.email.to)");
        }
        try {
            Mail mail = new Mail().setTo(to).setFrom(config.email().from()).setSubject(message.subject())
                    .setText(message.text()).setHtml(message.html());
            mailer.send(mail);
            return DeliveryResult.accepted(null);
        } catch (RuntimeException e) {
            return DeliveryResult.failed(null, Optional.empty(), "SMTP: " + rootMessage(e));
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
