package dev.levain.normalize.mapping;

import dev.levain.normalize.service.RejectedEventException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks shared by every mapper: required values, names, e-mails and date-times, rejected by field name. */
final class Fields {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    // The same rule as ingest: something@domain.tld, no spaces.
    // The local formats spreadsheets write, as ingest accepts them.
    private static final List<DateTimeFormatter> LOCAL_FORMATS = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME,
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]"),
            DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm[:ss]"));

    private Fields() {
    }

    static <T> T required(T value, String field) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new RejectedEventException(field + " is required");
        }
        return value;
    }

    /** Trimmed, runs of whitespace made one space, case kept; null when blank. */
    static String collapse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return WHITESPACE.matcher(text.trim()).replaceAll(" ");
    }

    /** A person's name from its parts, whitespace standardized; null when every part is blank. */
    static String name(String given, String family) {
        return collapse((given == null ? "" : given) + " " + (family == null ? "" : family));
    }

    /** An e-mail trimmed and lower-cased; null when blank. */
    static String email(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String email = text.trim().toLowerCase(Locale.ROOT);
        if (!isEmail(email)) {
            throw new RejectedEventException(field + " is not an e-mail address: " + shown(text));
        }
        return email;
    }

    /**
     * Something, {@code @}, and a domain with a dot that has something on both sides; no white
     * space, one {@code @}. Decided in one pass: a pattern for it backtracks quadratically on a long
     * dotted domain that fails at its end.
     */
    static boolean isEmail(String text) {
        int at = text.indexOf('@');
        if (at <= 0 || text.indexOf('@', at + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (" \t\n\u000B\f\r".indexOf(text.charAt(i)) >= 0) {
                return false;
            }
        }
        int dot = text.indexOf('.', at + 2);
        return dot > 0 && dot < text.length() - 1;
    }

    /** A value as a reason quotes it: long ones cut, so that a reason stays readable. */
    private static String shown(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "… (" + text.length() + " characters)";
    }

    /** An ISO-8601 date-time with its offset. */
    static OffsetDateTime dateTime(String text, String field) {
        try {
            return OffsetDateTime.parse(required(text, field).trim());
        } catch (DateTimeParseException e) {
            throw new RejectedEventException(field + " is not an ISO-8601 date-time with an offset: " + text);
        }
    }

    /**
     * A date-time with an offset, or a local one ({@code 2026-11-27T08:15}, {@code 2026-11-27 08:15},
     * {@code 27/11/2026 08:15}) taken in {@code zone}: the formats ingest accepts in CSV files.
     */
    static OffsetDateTime dateTime(String text, ZoneId zone, String field) {
        String trimmed = required(text, field).trim();
        try {
            return OffsetDateTime.parse(trimmed);
        } catch (DateTimeParseException notWithOffset) {
            for (DateTimeFormatter format : LOCAL_FORMATS) {
                try {
                    return LocalDateTime.parse(trimmed, format).atZone(zone).toOffsetDateTime();
                } catch (DateTimeParseException next) {
                    // try the next format
                }
            }
            throw new RejectedEventException(field + " is not a date-time such as 2026-11-27T08:15:00+01:00, "
                    + "2026-11-27 08:15 or 27/11/2026 08:15: " + text);
        }
    }

    /** A version from an update time: its epoch milliseconds, 0 when there is none. */
    static long version(OffsetDateTime updatedAt) {
        return updatedAt == null ? 0 : updatedAt.toInstant().toEpochMilli();
    }
}
