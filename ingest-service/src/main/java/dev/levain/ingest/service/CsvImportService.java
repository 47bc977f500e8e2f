package dev.levain.ingest.service;

import dev.levain.ingest.config.IngestConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an uploaded CSV file through a source's {@link CsvRows}, in bounded memory whatever its size:
 * valid items are published in batches, bad rows are reported with their line, and uploading the same
 * file again publishes nothing new. A format that must see the whole file first (sales, whose rows may
 * be scattered) gets it copied to a temporary file, deleted afterwards, and read twice; the others are
 * published while the file arrives.
 */
@ApplicationScoped
public class CsvImportService {

    private static final int BATCH_SIZE = 500;
    private static final long BATCH_BYTES = 4L * 1024 * 1024;
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final int READ_BUFFER = 64 * 1024;

    private final RawEventIngestService ingest;
    private final IngestMetrics metrics;
    private final Path spoolDir;

    public CsvImportService(RawEventIngestService ingest, IngestMetrics metrics, IngestConfig config) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.spoolDir = Path.of(config.uploads().spoolDir().orElse(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Reads {@code body} to its end, or until {@code maxBytes} (then {@link PayloadTooLargeException}).
     *
     * @throws InvalidInputException when the file is empty or its header unusable; nothing is published
     * @throws PublishFailedException when Kafka stopped acknowledging; the report of what was stored is lost,
     *                                but uploading the same file again completes it without duplicates
     */
    public CsvImportReport importFile(String file, InputStream body, long maxBytes, CsvRows rows) {
        InputStream limited = new Limited(body, maxBytes);
        try {
            return rows.scansFirst() ? scanThenImport(file, limited, rows) : importStreamed(file, limited, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the upload", e);
        }
    }

    private CsvImportReport importStreamed(String file, InputStream body, CsvRows rows) throws IOException {
        Tally tally = new Tally(file);
        try {
            return importRecords(reader(body), rows, tally);
        } catch (PayloadTooLargeException e) {
            throw new PayloadTooLargeException(e.getMessage() + "; the " + tally.acceptedItems
                    + " items before that point were stored (uploading them again creates no duplicates)");
        }
    }

    /** Nothing is published before the whole body is here and has been scanned once. */
    private CsvImportReport scanThenImport(String file, InputStream body, CsvRows rows) throws IOException {
        Path copy = Files.createTempFile(Files.createDirectories(spoolDir), "levain-upload-", ".csv");
        try {
            try {
                Files.copy(body, copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (PayloadTooLargeException e) {
                throw new PayloadTooLargeException(e.getMessage() + "; nothing of it was stored");
            }
            try (InputStream in = Files.newInputStream(copy)) {
                CsvRecordReader reader = reader(in);
                readHeader(reader, rows);
                for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                    if (!record.blank()) {
                        rows.scan(record);
                    }
                }
            }
            try (InputStream in = Files.newInputStream(copy)) {
                return importRecords(reader(in), rows, new Tally(file));
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static CsvRecordReader reader(InputStream in) {
        return new CsvRecordReader(new BufferedInputStream(in, READ_BUFFER), MAX_RECORD_BYTES);
    }

    private CsvImportReport importRecords(CsvRecordReader reader, CsvRows rows, Tally tally) throws IOException {
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
            metrics.rejected(connector, "invalid", item.rows());
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
            acceptedRows += item.rows();
            if (duplicate) {
                duplicateItems++;
            } else {
                acceptedItems++;
            }
        }

        void rejected(CsvItem item) {
            rejectedRows += item.rows();
            if (!item.continued()) {
                rejectedItems++;
            }
            truncated |= item.moreRejections();
            for (RowRejection rejection : item.rejections()) {
                if (rejections.size() < CsvItem.MAX_LISTED_REJECTIONS) {
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
