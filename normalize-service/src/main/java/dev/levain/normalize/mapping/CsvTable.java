package dev.levain.normalize.mapping;

import dev.levain.events.csv.CsvFields;
import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CSV payload read whole (a header line and the few rows of one sale or contact), in the dialect ingest
 * accepts: UTF-8 with or without a byte order mark, ',' or ';' between fields (guessed from the header),
 * CRLF or LF, quoted fields holding delimiters, {@code ""} and line breaks. Columns are named as in the
 * header, lower-cased with spaces as '_'.
 */
final class CsvTable {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+([.,]\\d+)?");

    private final Map<String, Integer> columns;
    private final List<List<String>> rows;

    private CsvTable(Map<String, Integer> columns, List<List<String>> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** Reads {@code payload}, which must have the {@code required} columns and at least one row. */
    static CsvTable read(byte[] payload, List<String> required) {
        List<List<String>> records = records(decode(payload));
        if (records.isEmpty()) {
            throw new RejectedEventException("payload is empty; a CSV header and rows are expected");
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> header = records.get(0);
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT).replace(' ', '_'), i);
        }
        for (String column : required) {
            if (!columns.containsKey(column)) {
                throw new RejectedEventException("header misses the column " + column);
            }
        }
        List<List<String>> rows = records.subList(1, records.size()).stream()
                .filter(row -> row.stream().anyMatch(field -> !field.isBlank()))
                .toList();
        if (rows.isEmpty()) {
            throw new RejectedEventException("payload has a header but no rows");
        }
        return new CsvTable(Map.copyOf(columns), rows);
    }

    int size() {
        return rows.size();
    }

    /** The value of {@code column} in row {@code row}, untrimmed; "" when absent. */
    String value(int row, String column) {
        Integer index = columns.get(column);
        List<String> fields = rows.get(row);
        return index == null || index >= fields.size() ? "" : fields.get(index);
    }

    /** How a rejection names a cell: {@code rows[0].quantity}. */
    static String field(int row, String column) {
        return "rows[" + row + "]." + column;
    }

    /** A number written with '.' or ',' as decimal mark (spreadsheets in France write "1,40"); null when blank. */
    BigDecimal decimal(int row, String column) {
        String text = value(row, column).trim();
        if (text.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new RejectedEventException(field(row, column) + " is not a number: " + text);
        }
        return new BigDecimal(text.replace(',', '.'));
    }

    private static String decode(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload == null ? new byte[0] : payload)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new RejectedEventException("payload is not valid UTF-8");
        }
    }

    private static List<List<String>> records(String text) {
        try {
            return CsvFields.records(text, delimiter(text));
        } catch (IllegalArgumentException unclosedQuote) {
            throw new RejectedEventException("payload has a quote that is never closed");
        }
    }

    /** ';' when the header line holds more of them than commas, as ingest guesses it. */
    private static char delimiter(String text) {
        int commas = 0;
        int semicolons = 0;
        for (int i = 0; i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r'; i++) {
            if (text.charAt(i) == ',') {
                commas++;
            } else if (text.charAt(i) == ';') {
                semicolons++;
            }
        }
        return semicolons > commas ? ';' : ',';
    }
}
