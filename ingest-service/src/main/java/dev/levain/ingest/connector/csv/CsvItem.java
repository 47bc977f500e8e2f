package dev.levain.ingest.connector.csv;

import dev.levain.ingest.service.RawEvent;
import java.util.List;

/**
 * One unit of a CSV upload (a sale and its lines, a contact): its event when every row of it is valid,
 * else the rows refused and why. {@code lines} are the file lines it was read from.
 */
public record CsvItem(String label, List<Integer> lines, RawEvent event, List<RowRejection> rejections) {

    public static CsvItem valid(String label, List<Integer> lines, RawEvent event) {
        return new CsvItem(label, List.copyOf(lines), event, List.of());
    }

    public static CsvItem rejected(String label, List<Integer> lines, List<RowRejection> rejections) {
        return new CsvItem(label, List.copyOf(lines), null, List.copyOf(rejections));
    }
}
