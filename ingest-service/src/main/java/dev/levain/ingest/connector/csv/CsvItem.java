package dev.levain.ingest.connector.csv;

import dev.levain.ingest.service.RawEvent;
import java.util.List;

/**
 * One unit of a CSV upload (a sale and its lines, a contact): its event when every row of it is valid,
 * else why its rows were refused. It counts its rows rather than listing them, and lists at most
 * {@link #MAX_LISTED_REJECTIONS} rejections ({@code moreRejections} says some were left out), so a
 * refused item of a million rows stays small. {@code continued} marks more rows of an item already
 * reported (a sale whose rows are scattered): its rows count, not a second item.
 */
public record CsvItem(String label, int rows, RawEvent event, List<RowRejection> rejections,
                      boolean moreRejections, boolean continued) {

    /** No more than an import report lists. */
    public static final int MAX_LISTED_REJECTIONS = 1000;

    public static CsvItem valid(String label, int rows, RawEvent event) {
        return new CsvItem(label, rows, event, List.of(), false, false);
    }

    public static CsvItem rejected(String label, int rows, List<RowRejection> rejections, boolean moreRejections) {
        return new CsvItem(label, rows, null, List.copyOf(rejections), moreRejections, false);
    }

    /** The next rows of {@code label}, an item already reported as rejected. */
    public static CsvItem rejectedContinued(String label, int rows, List<RowRejection> rejections,
                                            boolean moreRejections) {
        return new CsvItem(label, rows, null, List.copyOf(rejections), moreRejections, true);
    }
}
