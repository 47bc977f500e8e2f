package dev.levain.ingest.connector.csv;

import dev.levain.ingest.service.FieldError;
import java.util.List;

/**
 * How one upload of one source's CSV format becomes raw events, fed record by record. An instance
 * serves one upload and may hold rows back (e.g. the lines of one sale) until its item is complete.
 * A format that must see the whole file before it publishes anything ({@link #scansFirst()}) is shown
 * every record by {@link #scan} first, then the same records again by {@link #row}.
 */
public interface CsvRows {

    /** The connector the events come from ({@code dev.levain.events.Sources}). */
    String connector();

    /** Reads the header; returns what is wrong with it (missing columns...), empty when usable. */
    List<FieldError> header(CsvRecord header);

    /** True when every record goes through {@link #scan} before the first goes through {@link #row}. */
    default boolean scansFirst() {
        return false;
    }

    /** Notes one data record in the first pass over the file; called only when {@link #scansFirst()}. */
    default void scan(CsvRecord record) {
    }

    /** Takes one data record; returns the items it completed, if any. */
    List<CsvItem> row(CsvRecord record);

    /** The items still held back at the end of the file. */
    List<CsvItem> finish();
}
