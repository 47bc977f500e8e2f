package dev.levain.ingest.connector.csv;

import dev.levain.ingest.service.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header line of an upload: its exact bytes, which column holds what (names compared lower-cased,
 * spaces as '_'), and what is wrong with it.
 */
public final class CsvHeader {

    private final byte[] bytes;
    private final int fields;
    private final Map<String, Integer> columns;
    private final List<FieldError> problems;

    private CsvHeader(byte[] bytes, int fields, Map<String, Integer> columns, List<FieldError> problems) {
        this.bytes = bytes;
        this.fields = fields;
        this.columns = columns;
        this.problems = problems;
    }

    /** Reads {@code header}, requiring the {@code required} columns and naming the {@code optional} ones in errors. */
    public static CsvHeader read(CsvRecord header, List<String> required, List<String> optional) {
        Map<String, Integer> columns = new HashMap<>();
        List<FieldError> problems = new ArrayList<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).trim().toLowerCase(Locale.ROOT).replace(' ', '_');
            if (!name.isEmpty() && columns.putIfAbsent(name, i) != null) {
                problems.add(new FieldError("header", "names the column " + name + " twice"));
            }
        }
        for (String column : required) {
            if (!columns.containsKey(column)) {
                problems.add(new FieldError("header", "misses the column " + column + " (required: " + required
                        + "; optional: " + optional + ")"));
            }
        }
        return new CsvHeader(header.bytes(), header.fields().size(), Map.copyOf(columns), List.copyOf(problems));
    }

    /** Empty when the header is usable. */
    public List<FieldError> problems() {
        return problems;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** The value of {@code column} in {@code record}, "" when the file has no such column. */
    public String value(CsvRecord record, String column) {
        Integer index = columns.get(column);
        return index == null || index >= record.fields().size() ? "" : record.fields().get(index);
    }

    /** Why {@code record} cannot be read against this header (a field count that differs), or null. */
    public RowRejection shapeProblem(CsvRecord record) {
        if (record.problem() != null) {
            return new RowRejection(record.line(), null, "row " + record.problem());
        }
        if (record.fields().size() != fields) {
            return new RowRejection(record.line(), null, "has " + record.fields().size() + " fields; the header has "
                    + fields);
        }
        return null;
    }
}
