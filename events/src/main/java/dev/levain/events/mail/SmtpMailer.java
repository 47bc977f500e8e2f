package dev.levain.events.mail;

import jakarta.activation.DataHandler;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Sends e-mail over SMTP (Jakarta Mail): one connection per message, and every step (connect, each read and write)
 * bounded by the timeout, so a server that stops answering fails the send instead of holding the caller. The
 * services that mail (alert-service, api-service) read the same settings, {@code levain.smtp.*}.
 */
public final class SmtpMailer {

    private final Settings settings;

    public SmtpMailer(Settings settings) {
        this.settings = settings;
    }

    /** How STARTTLS is used on a plain connection. */
    public enum StartTls { DISABLED, OPTIONAL, REQUIRED }

    /**
     * Where and how to connect: {@code host} (none: nothing can be sent), {@code port}, login, STARTTLS or TLS from
     * the first byte ({@code tls}), and the timeout of each step.
     */
    public record Settings(Optional<String> host, int port, Optional<String> username, Optional<String> password,
                           StartTls startTls, boolean tls, Duration timeout) {

        /**
         * Reads {@code levain.smtp.host}, {@code .port} (465 with TLS, else 25), {@code .username}, {@code .password},
         * {@code .start-tls} (REQUIRED with a login, so a password never crosses in clear; else OPTIONAL),
         * {@code .tls} (false) through {@code config}; the timeout is the caller's.
         */
        public static Settings from(Function<String, Optional<String>> config, Duration timeout) {
            boolean tls = config.apply("levain.smtp.tls").map(Boolean::parseBoolean).orElse(false);
            Optional<String> username = config.apply("levain.smtp.username").filter(user -> !user.isBlank());
            return new Settings(config.apply("levain.smtp.host").filter(host -> !host.isBlank()),
                    config.apply("levain.smtp.port").map(Integer::parseInt).orElse(tls ? 465 : 25),
                    username, config.apply("levain.smtp.password"),
                    config.apply("levain.smtp.start-tls").map(mode -> StartTls.valueOf(mode.toUpperCase(Locale.ROOT)))
                            .orElse(username.isPresent() ? StartTls.REQUIRED : StartTls.OPTIONAL),
                    tls, timeout);
        }
    }

    /** A file sent along. */
    public record Attachment(String name, String contentType, byte[] content) {
    }

    /** A message with a plain-text and an HTML body (either may be null, not both). */
    public record Mail(String from, List<String> to, String subject, String text, String html,
                       List<Attachment> attachments) {
    }

    private static final Pattern ADDRESS = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@");

    /** {@code text} with every e-mail address's name masked ({@code o***@panpan.example}), for log lines. */
    public static String withoutAddresses(String text) {
        return text == null ? null : ADDRESS.matcher(text).replaceAll("$1***@");
    }

    /** Sends {@code mail}; returns once the server accepted it, throws when it did not or did not answer in time. */
    public void send(Mail mail) throws MessagingException {
        String host = settings.host().orElseThrow(() -> new MessagingException("No SMTP server (levain.smtp.host)"));
        Session session = Session.getInstance(properties(host));
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(mail.from()));
        message.setRecipients(RecipientType.TO, InternetAddress.parse(String.join(",", mail.to())));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        MimeMultipart body = body(mail);
        if (mail.attachments().isEmpty()) {
            message.setContent(body);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart wrapper = new MimeBodyPart();
            wrapper.setContent(body);
            mixed.addBodyPart(wrapper);
            for (Attachment attachment : mail.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(),
                        attachment.contentType())));
                part.setFileName(attachment.name());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            message.setContent(mixed);
        }
        if (settings.username().isPresent()) {
            Transport.send(message, settings.username().get(), settings.password().orElse(""));
        } else {
            Transport.send(message);
        }
    }

    private static MimeMultipart body(Mail mail) throws MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        if (mail.text() != null) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name());
            alternative.addBodyPart(text);
        }
        if (mail.html() != null) {
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(html);
        }
        return alternative;
    }

    private Properties properties(String host) {
        String protocol = settings.tls() ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        String millis = Long.toString(settings.timeout().toMillis());
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", protocol);
        properties.put("mail.transport.protocol.rfc822", protocol);
        properties.put(prefix + "host", host);
        properties.put(prefix + "port", Integer.toString(settings.port()));
        properties.put(prefix + "connectiontimeout", millis);
        properties.put(prefix + "timeout", millis);
        properties.put(prefix + "writetimeout", millis);
        properties.put(prefix + "auth", Boolean.toString(settings.username().isPresent()));
        properties.put(prefix + "starttls.enable", Boolean.toString(settings.startTls() != StartTls.DISABLED));
        properties.put(prefix + "starttls.required", Boolean.toString(settings.startTls() == StartTls.REQUIRED));
        properties.put(prefix + "ssl.checkserveridentity", "true");
        return properties;
    }
}
