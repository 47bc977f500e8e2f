package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Sends alert emails through SMTP (quarkus-mailer); accepted once the SMTP server accepted the message. */
@ApplicationScoped
public class EmailSender {

    /** SMTP's "service not available, closing transmission channel", as the mail client reports it. */
    private static final String CHANNEL_CLOSED = "error response: 421";

    private final ReactiveMailer mailer;
    private final AlertConfig config;

    public EmailSender(ReactiveMailer mailer, AlertConfig config) {
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
            sendOnOpenChannel(mail);
            return DeliveryResult.accepted(null);
        } catch (RuntimeException e) {
            return DeliveryResult.failed(null, Optional.empty(), "SMTP: " + rootMessage(e));
        }
    }

    /**
     * Sends {@code mail}, once more on a new connection when the pooled one turns out closed by the server: a
     * 421 reply ("closing transmission channel", an idle timeout) means the server took nothing, so the second
     * try cannot duplicate the mail. The mail client does not always drop idle connections in time.
     */
    private void sendOnOpenChannel(Mail mail) {
        try {
            sendWithin(mail);
        } catch (RuntimeException e) {
            if (!rootMessage(e).contains(CHANNEL_CLOSED)) {
                throw e;
            }
            sendWithin(mail);
        }
    }

    /** One send, bounded by {@code levain.alert.email.timeout}: past it, failed (and retried by the outbox). */
    private void sendWithin(Mail mail) {
        try {
            mailer.send(mail).await().atMost(config.email().timeout());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + config.email().timeout()
                    + " (levain.alert.email.timeout); the server may still deliver it");
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
