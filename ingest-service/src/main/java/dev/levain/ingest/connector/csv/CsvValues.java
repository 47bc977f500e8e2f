package dev.levain.ingest.connector.csv;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** Reading the values spreadsheets export: decimals with ',' or '.', dates with or without an offset. */
public final class CsvValues {

    public static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+([.,]\\d+)?");
    /** Longest value a rejection repeats; a longer one would swell the report to no one's benefit. */
    private static final int MAX_REPEATED_VALUE = 256;
    private static final List<DateTimeFormatter> LOCAL_FORMATS = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME,
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]"),
            DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm[:ss]"));

    private CsvValues() {
    }

    /** {@code reason: value} for a rejection, the value left out when it is too long to repeat. */
    public static String withValue(String reason, String value) {
        return value.length() > MAX_REPEATED_VALUE ? reason : reason + ": " + value;
    }

    /** The number in {@code text} ("1,40" or "1.40"), or null when it is not one. */
    public static BigDecimal decimal(String text) {
        String trimmed = text.trim();
        return DECIMAL.matcher(trimmed).matches() ? new BigDecimal(trimmed.replace(',', '.')) : null;
    }

    /**
     * The instant in {@code text}: ISO-8601 with an offset, or a local date-time (ISO, "2026-11-27 08:15",
     * "27/11/2026 08:15") taken in {@code zone}. Null when it is none of these.
     */
    public static OffsetDateTime dateTime(String text, ZoneId zone) {
        String trimmed = text.trim();
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
            return null;
        }
    }
}
