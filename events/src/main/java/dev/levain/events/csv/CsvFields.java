package dev.levain.events.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * How Levain splits CSV text into fields, as spreadsheets write it (RFC 4180 quotes, {@code ""}
 * for a quote inside a quoted field). Shared by ingest, which reads uploaded files, and the
 * normalizer, which reads the CSV rows carried by raw events: both must cut a row the same way.
 */
public final class CsvFields {

    private CsvFields() {
    }

    /**
     * The records of {@code text}, each a list of fields. Outside quotes a line break (CRLF, CR or
     * LF) ends a record; a quote opens a quoted field only at the start of a field, elsewhere it is
     * text (12" tart). A final line break makes no empty record.
     *
     * @throws IllegalArgumentException when a quote is never closed
     */
    public static List<List<String>> records(String text, char delimiter) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else if (c == delimiter) {
                record.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                records.add(List.copyOf(record));
                record.clear();
                field.setLength(0);
                fieldStart = true;
                continue;
            } else {
                field.append(c);
            }
            fieldStart = false;
        }
        if (quoted) {
            throw new IllegalArgumentException("a quote is never closed");
        }
        if (!record.isEmpty() || field.length() > 0) {
            record.add(field.toString());
            records.add(List.copyOf(record));
        }
        return records;
    }

    /** The fields of one record (no line break outside quotes); an empty record is one empty field. */
    public static List<String> fields(String record, char delimiter) {
        List<List<String>> records = records(record, delimiter);
        return records.isEmpty() ? List.of("") : records.get(0);
    }
}
