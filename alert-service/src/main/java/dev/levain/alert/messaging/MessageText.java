package dev.levain.alert.messaging;

import dev.levain.alert.service.AlertEvent;
import dev.levain.alert.service.Notification;
import dev.levain.alert.service.NotificationItem;
import dev.levain.alert.service.SalesRules;
import java.math.BigDecimal;
import java.util.List;

/** The words of alert messages, shared by Slack and email so both say the same thing. */
public final class MessageText {

    private MessageText() {
    }

    /** E.g. "FIRING: Low stock at PAR-01 (3 products)". */
    public static String headline(Notification notification) {
        List<NotificationItem> items = notification.items();
        if (Notification.DIGEST.equals(notification.channel())) {
            return "Daily digest: " + items.size() + " open alert" + (items.size() == 1 ? "" : "s");
        }
        NotificationItem first = items.get(0);
        String where = first.storeCode() == null || "*".equals(first.storeCode()) ? "" : " at " + first.storeCode();
        String count = items.size() > 1 ? " (" + items.size() + " " + noun(first.ruleKind()) + ")" : "";
        return event(notification.eventKind()) + ": " + kind(first.ruleKind()) + where + count;
    }

    public static String event(String eventKind) {
        return switch (eventKind) {
            case AlertEvent.FIRING -> "FIRING";
            case AlertEvent.REMINDER -> "STILL FIRING";
            case AlertEvent.RESOLVED -> "RESOLVED";
            default -> eventKind.toUpperCase();
        };
    }

    public static String kind(String ruleKind) {
        return switch (ruleKind) {
            case "low_stock" -> "Low stock";
            case "out_of_stock" -> "Out of stock";
            case "days_of_supply" -> "Few days of supply";
            case "store_silent" -> "Store silent";
            case "pipeline_health" -> "Pipeline health";
            case "sales_threshold" -> "Sales beyond a limit";
            case "sales_unusual" -> "Unusual sales";
            case "customer_change" -> "Customers falling away";
            default -> ruleKind;
        };
    }

    /** One alert line without markup, e.g. "Croissant (CROISSANT) at PAR-01: on hand 3, threshold 5". */
    public static String line(NotificationItem item) {
        return subject(item) + ": " + measure(item) + " — rule \"" + item.ruleName() + "\"";
    }

    public static String subject(NotificationItem item) {
        String store = "*".equals(item.storeCode()) ? "pipeline" : "store " + item.storeCode();
        return switch (item.ruleKind()) {
            case "store_silent", "pipeline_health", "sales_threshold", "sales_unusual", "customer_change" ->
                    capitalize(store);
            default -> (item.subjectName() != null ? item.subjectName() + " (" + item.subject() + ")" : item.subject())
                    + " at " + store;
        };
    }

    public static String measure(NotificationItem item) {
        String level = plain(item.level());
        String threshold = plain(item.threshold());
        return switch (item.ruleKind()) {
            case "low_stock", "out_of_stock" -> "on hand " + level + ", threshold " + threshold;
            case "days_of_supply" -> level + " days of supply, alert below " + threshold;
            case "store_silent" -> "no sale for " + level + " min while open, limit " + threshold + " min";
            case "pipeline_health" -> item.subjectName() + " " + level + ", limit " + threshold;
            case "sales_threshold" -> item.subjectName() + ": " + level + ", limit " + threshold;
            case "sales_unusual" -> item.subjectName() + ": " + level + ", usual " + threshold + change(item);
            case "customer_change" -> item.subjectName() + ": " + level + ", " + threshold + " the period before"
                    + change(item);
            default -> level + " / " + threshold;
        };
    }

    private static String noun(String ruleKind) {
        return switch (ruleKind) {
            case "low_stock", "out_of_stock", "days_of_supply" -> "products";
            default -> "alerts";
        };
    }

    /** E.g. " (−27.3%)"; nothing when either figure is missing or the reference is zero. */
    private static String change(NotificationItem item) {
        if (item.level() == null || item.threshold() == null || item.threshold().signum() == 0) {
            return "";
        }
        BigDecimal percent = SalesRules.percentChange(item.level(), item.threshold());
        return " (" + (percent.signum() > 0 ? "+" : percent.signum() < 0 ? "−" : "") + percent.abs().toPlainString()
                + "%)";
    }

    private static String plain(BigDecimal value) {
        return value == null ? "?" : value.stripTrailingZeros().toPlainString();
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
