package dev.levain.api.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Who receives the sales report, and how often. */
public record ReportRecipient(String address, ReportFrequency frequency) {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s:,]+@[^@\\s:,]+\\.[^@\\s:,]+");

    /** The address as logs show it, its name masked ({@code o***@panpan.example}): no personal data in logs. */
    public String masked() {
        int at = address.indexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }

    /**
     * The recipients of {@code levain.api.report.recipients}: each {@code address} (weekly) or
     * {@code address:daily|weekly|monthly}. A wrong entry stops the service at start, named, rather
     * than a report silently never sent.
     */
    public static List<ReportRecipient> parse(List<String> entries) {
        List<ReportRecipient> recipients = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            String address = (colon < 0 ? entry : entry.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            ReportFrequency frequency = colon < 0 ? ReportFrequency.WEEKLY
                    : ReportFrequency.parse(entry.substring(colon + 1)).orElseThrow(() -> new IllegalArgumentException(
                    "levain.api.report.recipients: '" + entry.trim() + "' has no frequency daily, weekly or monthly"));
            if (!ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException(
                        "levain.api.report.recipients: '" + entry.trim() + "' is not an e-mail address");
            }
            if (!seen.add(address + ":" + frequency)) {
                continue;
            }
            recipients.add(new ReportRecipient(address, frequency));
        }
        return List.copyOf(recipients);
    }
}
