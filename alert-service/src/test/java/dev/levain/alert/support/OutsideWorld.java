package dev.levain.alert.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** The systems outside alert-service in tests: a Slack stand-in over real HTTP and GreenMail over real SMTP. */
public final class OutsideWorld {

    public static final String MAIL_TO = "owner@panpan.test";

    private final SlackStandIn slack;
    private final ServerSetup smtpSetup;
    private GreenMail smtp;

    OutsideWorld(SlackStandIn slack, ServerSetup smtpSetup) {
        this.slack = slack;
        this.smtpSetup = smtpSetup;
        this.smtp = new GreenMail(smtpSetup);
        this.smtp.start();
    }

    public SlackStandIn slack() {
        return slack;
    }

    public int smtpPort() {
        return smtpSetup.getPort();
    }

    /** Every email received so far. */
    public synchronized List<MimeMessage> mails() {
        return Arrays.asList(smtp.getReceivedMessages());
    }

    /** Emails received whose subject contains {@code text}. */
    public List<MimeMessage> mailsAbout(String text) {
        return mails().stream().filter(mail -> subject(mail).contains(text)).toList();
    }

    public static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded text of every part of an email. */
    public static String body(MimeMessage mail) {
        try {
            return text(mail.getContent());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object content) throws MessagingException, IOException {
        if (content instanceof MimeMultipart multipart) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                text.append(text(multipart.getBodyPart(i).getContent())).append('\n');
            }
            return text.toString();
        }
        return String.valueOf(content);
    }

    /** The SMTP server goes away; mails received so far are kept nowhere. */
    public synchronized void smtpDown() {
        smtp.stop();
    }

    /** A fresh SMTP server on the same port. */
    public synchronized void smtpUp() {
        smtp = new GreenMail(smtpSetup);
        smtp.start();
    }

    synchronized void close() {
        smtp.stop();
        slack.close();
    }
}
