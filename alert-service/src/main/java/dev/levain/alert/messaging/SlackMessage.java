package dev.levain.alert.messaging;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levain.alert.service.AlertEvent;
import dev.levain.alert.service.Notification;
import dev.levain.alert.service.NotificationItem;
import dev.levain.events.Json;
import java.util.List;

/**
 * A notification as a Slack Block Kit message, within Slack's limits: at most 50 blocks, section
 * text at most 3000 characters, header text at most 150.
 */
public final class SlackMessage {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_HEADER_TEXT = 150;
    // Header, "more" line, context and link take four blocks.
    private static final int MAX_ITEM_BLOCKS = MAX_BLOCKS - 4;

    private SlackMessage() {
    }

    public static String render(Notification notification, String dashboardUrl) {
        String headline = MessageText.headline(notification);
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("text", truncate(icon(notification) + " " + headline, MAX_SECTION_TEXT));
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", truncate(icon(notification) + " " + headline, MAX_HEADER_TEXT));
        List<NotificationItem> items = notification.items();
        int shown = Math.min(items.size(), MAX_ITEM_BLOCKS);
        for (NotificationItem item : items.subList(0, shown)) {
            section(blocks, "*" + escape(MessageText.subject(item)) + "*\n" + escape(MessageText.measure(item))
                    + "\n_" + MessageText.kind(item.ruleKind()) + " · rule \"" + escape(item.ruleName()) + "\"_");
        }
        if (items.size() > shown) {
            section(blocks, "…and " + (items.size() - shown) + " more; see the dashboard.");
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", truncate("<" + dashboardUrl + "|Open the Levain dashboard>", MAX_SECTION_TEXT));
        return message.toString();
    }

    private static void section(ArrayNode blocks, String markdown) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", truncate(markdown, MAX_SECTION_TEXT));
    }

    private static String icon(Notification notification) {
        return switch (notification.eventKind()) {
            case AlertEvent.RESOLVED -> ":white_check_mark:";
            case AlertEvent.REMINDER -> ":large_orange_circle:";
            case AlertEvent.FIRING -> ":red_circle:";
            default -> ":clipboard:";
        };
    }

    /** Slack's mrkdwn control characters, escaped as its docs ask. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
