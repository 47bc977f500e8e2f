package dev.levain.ingest.service;

import dev.levain.ingest.connector.csv.RowRejection;
import java.util.List;

/**
 * What became of an uploaded file: rows and items (sales, contacts) accepted, already known, or
 * refused with their line and reason. Only the first {@code rejections} are listed; the counts are exact.
 */
public record CsvImportReport(
        String file,
        long rows,
        long acceptedRows,
        long rejectedRows,
        long items,
        long acceptedItems,
        long duplicateItems,
        long rejectedItems,
        List<RowRejection> rejections,
        boolean rejectionsTruncated) {
}
