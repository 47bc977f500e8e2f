package dev.levain.ingest.service;

import dev.levain.ingest.connector.csv.CsvItem;
import dev.levain.ingest.connector.csv.CsvRecord;
import dev.levain.ingest.connector.csv.CsvRecordReader;
import dev.levain.ingest.connector.csv.CsvRows;
import dev.levain.ingest.connector.csv.RowRejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an uploaded CSV file through a source's {@link CsvRows}: valid items are published in
 * batches as the file arrives (memory stays bounded whatever its size), bad rows are reported with
 * their line, and uploading the same file again publishes nothing new.
 */
@ApplicationScoped
public class CsvImportService {

    private static final int BATCH_SIZE = 500;
    private static final long BATCH_BYTES = 4L * 1024 * 1024;
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final int MAX_LISTED_REJECTIONS = 1000;

    private final RawEventIngestService ingest;
    private final IngestMetrics metrics;

    public CsvImportService(RawEventIngestService ingest, IngestMetrics metrics) {
        this.ingest = ingest;
        this.metrics = metrics;
    }

    /**
     * Reads {@code body} to its end, or until {@code maxBytes} (then {@link PayloadTooLargeException}).
     *
     * @throws InvalidInputException when the file is empty or its header unusable; nothing is published
     * @throws PublishFailedException when Kafka stopped acknowledging; the report of what was stored is lost,
     *                                but uploading the same file again completes it without duplicates
     */
    public CsvImportReport importFile(String file, InputStream body, long maxBytes, CsvRows rows) {
        CsvRecordReader reader = new CsvRecordReader(new BufferedInputStream(new Limited(body, maxBytes), 64 * 1024),
                MAX_RECORD_BYTES);
        Tally tally = new Tally(file);
        try {
            readHeader(reader, rows);
            List<CsvItem> pending = new ArrayList<>();
            long pendingBytes = 0;
            int lastLine = 1;
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.blank()) {
                    continue;
                }
                tally.rows++;
                lastLine = record.line();
                for (CsvItem item : rows.row(record)) {
                    pending.add(item);
                    pendingBytes += item.event() == null ? 0 : item.event().payload().length;
                }
                if (pending.size() >= BATCH_SIZE || pendingBytes >= BATCH_BYTES) {
                    publish(rows.connector(), pending, tally, record.line());
                    pendingBytes = 0;
                }
            }
            pending.addAll(rows.finish());
            publish(rows.connector(), pending, tally, lastLine);
            return tally.report();
        } catch (PayloadTooLargeException e) {
            throw new PayloadTooLargeException(e.getMessage() + "; the " + tally.acceptedItems
                    + " items before that point were stored (uploading them again creates no duplicates)");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the upload", e);
        }
    }

    private static void readHeader(CsvRecordReader reader, CsvRows rows) throws IOException {
        CsvRecord header = reader.next();
        if (header == null || header.blank()) {
            throw new InvalidInputException(List.of(new FieldError("file", "is empty; a header line is expected")));
        }
        if (header.problem() != null) {
            throw new InvalidInputException(List.of(new FieldError("header", header.problem())));
        }
        List<FieldError> errors = rows.header(header);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private void publish(String connector, List<CsvItem> items, Tally tally, int uptoLine) {
        List<CsvItem> valid = items.stream().filter(i -> i.event() != null).toList();
        List<IngestResult> results;
        try {
            // CSV ids cover the bytes, so one id never carries two contents: no conflict to refuse.
            results = ingest.ingestAll(connector, valid.stream().map(CsvItem::event).toList(),
                    ConflictPolicy.KEEP_AS_CORRECTION);
        } catch (PublishFailedException e) {
            throw new PublishFailedException("Kafka stopped acknowledging at line " + uptoLine + "; the "
                    + tally.acceptedItems + " items before it are stored. Upload the same file again: what is stored "
                    + "is recognized as duplicates.", e);
        }
        for (int i = 0; i < valid.size(); i++) {
            tally.accepted(valid.get(i), results.get(i).duplicate());
        }
        items.stream().filter(i -> i.event() == null).forEach(item -> {
            tally.rejected(item);
            item.lines().forEach(line -> metrics.rejected(connector, "invalid"));
        });
        items.clear();
    }

    /** Counts of one upload. */
    private static final class Tally {

        private final String file;
        private final List<RowRejection> rejections = new ArrayList<>();
        private long rows;
        private long acceptedRows;
        private long rejectedRows;
        private long acceptedItems;
        private long duplicateItems;
        private long rejectedItems;
        private boolean truncated;

        Tally(String file) {
            this.file = file;
        }

        void accepted(CsvItem item, boolean duplicate) {
            acceptedRows += item.lines().size();
            if (duplicate) {
                duplicateItems++;
            } else {
                acceptedItems++;
            }
        }

        void rejected(CsvItem item) {
            rejectedRows += item.lines().size();
            rejectedItems++;
            for (RowRejection rejection : item.rejections()) {
                if (rejections.size() < MAX_LISTED_REJECTIONS) {
                    rejections.add(rejection);
                } else {
                    truncated = true;
                }
            }
        }

        CsvImportReport report() {
            return new CsvImportReport(file, rows, acceptedRows, rejectedRows,
                    acceptedItems + duplicateItems + rejectedItems, acceptedItems, duplicateItems, rejectedItems,
                    List.copyOf(rejections), truncated);
        }
    }

    /** Stops reading past the limit, whatever the request claimed its length was. */
    private static final class Limited extends FilterInputStream {

        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b == -1 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new PayloadTooLargeException("The upload is larger than " + max + " bytes");
            }
        }
    }
}
