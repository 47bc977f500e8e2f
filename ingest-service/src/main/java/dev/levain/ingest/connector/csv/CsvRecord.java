package dev.levain.ingest.connector.csv;

import java.util.List;

/**
 * One CSV record: the line it starts on, its exact bytes (without the line break) and its fields,
 * or, when it cannot be read, why.
 */
public record CsvRecord(int line, byte[] bytes, List<String> fields, String problem) {

    static CsvRecord of(int line, byte[] bytes, List<String> fields) {
        return new CsvRecord(line, bytes, List.copyOf(fields), null);
    }

    static CsvRecord broken(int line, byte[] bytes, String problem) {
        return new CsvRecord(line, bytes, List.of(), problem);
    }

    /** A record with nothing but blanks, as spreadsheets leave at the end of a file. */
    public boolean blank() {
        return problem == null && fields.stream().allMatch(String::isBlank);
    }
}
