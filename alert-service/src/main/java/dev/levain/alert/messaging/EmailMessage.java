package dev.levain.alert.messaging;

import dev.levain.alert.service.Notification;
import dev.levain.alert.service.NotificationItem;

/** A notification as an email: subject, plain text part and HTML part. */
public record EmailMessage(String subject, String text, String html) {

    public static EmailMessage render(Notification notification, String dashboardUrl) {
        String headline = MessageText.headline(notification);
        StringBuilder text = new StringBuilder(headline).append("\n\n");
        StringBuilder html = new StringBuilder("<html><body><h2>").append(escape(headline)).append("</h2><ul>");
        for (NotificationItem item : notification.items()) {
            String event = Notification.DIGEST.equals(notification.channel())
                    ? MessageText.kind(item.ruleKind()) + ": " : "";
            text.append("- ").append(event).append(MessageText.line(item)).append('\n');
            html.append("<li>").append(escape(event)).append("<b>").append(escape(MessageText.subject(item)))
                    .append("</b>: ").append(escape(MessageText.measure(item))).append(" — rule &quot;")
                    .append(escape(item.ruleName())).append("&quot;</li>");
        }
        text.append("\nDashboard: ").append(dashboardUrl).append('\n');
        html.append("</ul><p><a href=\"").append(escape(dashboardUrl)).append("\">Open the Levain dashboard</a></p>")
                .append("</body></html>");
        return new EmailMessage("[Levain] " + headline, text.toString(), html.toString());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
