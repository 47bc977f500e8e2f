package dev.levain.ingest.connector.csv;

import dev.levain.ingest.service.FieldError;
import java.util.List;

/**
 * How one upload of one source's CSV format becomes raw events, fed record by record. An instance
 * serves one upload and may hold rows back (e.g. the lines of one sale) until its item is complete.
 */
public interface CsvRows {

    /** The connector the events come from ({@code dev.levain.events.Sources}). */
    String connector();

    /** Reads the header; returns what is wrong with it (missing columns...), empty when usable. */
    List<FieldError> header(CsvRecord header);

    /** Takes one data record; returns the items it completed, if any. */
    List<CsvItem> row(CsvRecord record);

    /** The items still held back at the end of the file. */
    List<CsvItem> finish();
}
