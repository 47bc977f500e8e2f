package dev.levain.ingest.connector.pos.csv;

import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.ingest.connector.EmailAddresses;
import dev.levain.ingest.connector.csv.CsvHeader;
import dev.levain.ingest.connector.csv.CsvItem;
import dev.levain.ingest.connector.csv.CsvRecord;
import dev.levain.ingest.connector.csv.CsvRows;
import dev.levain.ingest.connector.csv.CsvValues;
import dev.levain.ingest.connector.csv.LongSet;
import dev.levain.ingest.connector.csv.RowRejection;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.RawEvent;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A POS sales export, one row per sale line: the consecutive rows with the same store_code and
 * sale_id are one sale, published as one event carrying the header and those rows as uploaded. A
 * sale with one bad row is refused whole, so no sale is ever recorded with lines missing; so is a
 * sale whose rows are not consecutive, found by a first pass over the whole file before anything is
 * published. That pass remembers 64-bit hashes of the sales, so a collision can only refuse a sale
 * whose rows are in fact consecutive, never put the rows of two sales together. A row without a
 * store_code or sale_id belongs to no sale: it is refused alone.
 */
public final class PosCsvRows implements CsvRows {

    static final List<String> REQUIRED = List.of("store_code", "sale_id", "occurred_at", "sku", "quantity",
            "unit_price");
    static final List<String> OPTIONAL = List.of("discount", "customer_email", "currency", "name", "status");
    /** Values every row of one sale must repeat identically. */
    private static final List<String> PER_SALE = List.of("occurred_at", "customer_email", "currency", "status");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Set<String> STATUSES = Set.of("completed", "voided");
    private static final int MAX_LINES_PER_SALE = 500;
    /** Kept under Kafka's default 1 MiB record limit, headers included. */
    private static final int MAX_SALE_BYTES = 512 * 1024;

    private final ZoneId zone;
    // First pass: the sales seen so far, and those seen again after other rows (hashes of their keys).
    private LongSet seenSales = new LongSet();
    private final LongSet scatteredSales = new LongSet();
    private String scannedSale;
    // Second pass: the scattered sales already reported, so each counts as one refused item.
    private final LongSet reportedScattered = new LongSet();
    private CsvHeader header;
    private Sale open;

    /** @param zone the time zone of local date-times in the file */
    public PosCsvRows(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String connector() {
        return Sources.POS_CSV;
    }

    @Override
    public List<FieldError> header(CsvRecord record) {
        header = CsvHeader.read(record, REQUIRED, OPTIONAL);
        return header.problems();
    }

    @Override
    public boolean scansFirst() {
        return true;
    }

    @Override
    public void scan(CsvRecord record) {
        if (record.problem() != null) {
            // Read in the second pass as a row of the sale around it: it neither ends nor starts one.
            return;
        }
        String key = saleKey(record);
        if (key != null && !key.equals(scannedSale) && !seenSales.add(hash(key))) {
            scatteredSales.add(hash(key));
        }
        scannedSale = key;
    }

    @Override
    public List<CsvItem> row(CsvRecord record) {
        seenSales = null; // the first pass is over: only the scattered sales are still needed
        if (record.problem() != null) {
            return unreadable(record);
        }
        String key = saleKey(record);
        List<CsvItem> completed = new ArrayList<>(2);
        if (open != null && !open.key.equals(key)) {
            completed.add(open.item());
            open = null;
        }
        if (key == null) {
            // Joining it to the rows around it would make one giant sale of every such row.
            completed.add(CsvItem.rejected("line " + record.line(), 1, validate(record), false));
            return completed;
        }
        if (open == null) {
            open = new Sale(key, record);
        }
        open.add(record, validate(record));
        return completed;
    }

    /**
     * A row that cannot be read says nothing of its sale: it is taken as a row of the sale being read,
     * which is then refused whole, rather than risk recording that sale with a line missing.
     */
    private List<CsvItem> unreadable(CsvRecord record) {
        RowRejection rejection = header.shapeProblem(record);
        if (open != null) {
            open.add(record, List.of(rejection));
            return List.of();
        }
        return List.of(CsvItem.rejected("line " + record.line(), 1, List.of(rejection), false));
    }

    @Override
    public List<CsvItem> finish() {
        if (open == null) {
            return List.of();
        }
        CsvItem last = open.item();
        open = null;
        return List.of(last);
    }

    /** store_code/sale_id, or null when either is blank. */
    private String saleKey(CsvRecord record) {
        String store = value(record, "store_code").trim();
        String sale = value(record, "sale_id").trim();
        return store.isEmpty() || sale.isEmpty() ? null : store + "/" + sale;
    }

    private RawEvent event(Sale sale) {
        byte[] payload = sale.payload(header.bytes());
        String store = value(sale.first, "store_code");
        String source = Sources.uri(Sources.POS_CSV, store);
        String contentHash = EventIds.sha256(payload);
        // The id covers the bytes: a changed sale is another event, never a conflict.
        return new RawEvent(Sources.POS_CSV, Topics.RAW_POS, sale.key, EventIds.stableId(source, sale.key, contentHash),
                null, source, EventTypes.RAW_POS_CSV_SALE, CsvValues.dateTime(value(sale.first, "occurred_at"), zone),
                RawEvent.CSV, contentHash, contentHash, payload);
    }

    private List<RowRejection> validate(CsvRecord record) {
        List<RowRejection> errors = new ArrayList<>();
        int line = record.line();
        RowRejection shape = header.shapeProblem(record);
        if (shape != null) {
            errors.add(shape);
            return errors;
        }
        code(errors, record, "store_code");
        code(errors, record, "sale_id");
        code(errors, record, "sku");
        String occurredAt = value(record, "occurred_at");
        if (occurredAt.isBlank()) {
            errors.add(new RowRejection(line, "occurred_at", "is required"));
        } else if (CsvValues.dateTime(occurredAt, zone) == null) {
            errors.add(new RowRejection(line, "occurred_at", "is not a date-time such as 2026-11-27T08:15:00+01:00, "
                    + "2026-11-27 08:15 or 27/11/2026 08:15"));
        }
        BigDecimal quantity = number(errors, record, "quantity", true, 3);
        if (quantity != null && quantity.signum() <= 0) {
            errors.add(new RowRejection(line, "quantity", "must be greater than 0"));
        }
        BigDecimal price = number(errors, record, "unit_price", true, 2);
        BigDecimal discount = number(errors, record, "discount", false, 2);
        if (discount != null && quantity != null && price != null && discount.compareTo(quantity.multiply(price)) > 0) {
            errors.add(new RowRejection(line, "discount", "must not exceed quantity × unit_price"));
        }
        String email = value(record, "customer_email");
        if (!email.isBlank()) {
            EmailAddresses.problem(email.trim()).ifPresent(problem ->
                    errors.add(new RowRejection(line, "customer_email", CsvValues.withValue(problem, email))));
        }
        String currency = value(record, "currency");
        if (!currency.isBlank() && !CURRENCY.matcher(currency.trim()).matches()) {
            errors.add(new RowRejection(line, "currency", "must be an ISO-4217 code such as EUR"));
        }
        String status = value(record, "status");
        if (!status.isBlank() && !STATUSES.contains(status.trim())) {
            errors.add(new RowRejection(line, "status", "must be one of " + STATUSES));
        }
        return errors;
    }

    private void code(List<RowRejection> errors, CsvRecord record, String column) {
        String value = value(record, column);
        if (value.isBlank()) {
            errors.add(new RowRejection(record.line(), column, "is required"));
        } else if (!CsvValues.CODE.matcher(value.trim()).matches()) {
            errors.add(new RowRejection(record.line(), column, "must be 1-64 letters, digits, '.', '_' or '-'"));
        }
    }

    private BigDecimal number(List<RowRejection> errors, CsvRecord record, String column, boolean required,
                              int maxScale) {
        String text = value(record, column);
        if (text.isBlank()) {
            if (required) {
                errors.add(new RowRejection(record.line(), column, "is required"));
            }
            return null;
        }
        BigDecimal number = CsvValues.decimal(text);
        if (number == null) {
            errors.add(new RowRejection(record.line(), column, "is not a number: " + text));
        } else if (number.signum() < 0) {
            errors.add(new RowRejection(record.line(), column, "must not be negative"));
        } else if (number.stripTrailingZeros().scale() > maxScale) {
            errors.add(new RowRejection(record.line(), column, "must have at most " + maxScale + " decimals"));
        } else {
            return number;
        }
        return null;
    }

    private String value(CsvRecord record, String column) {
        return header.value(record, column);
    }

    private static long hash(String key) {
        return ByteBuffer.wrap(EventIds.sha256Bytes(key)).getLong();
    }

    /**
     * The rows of the sale being read: while it is valid, its line numbers and bytes (bounded by its size
     * limits); once refused, only its row count and the first rejections.
     */
    private final class Sale {

        private final String key;
        private final CsvRecord first;
        private final boolean scattered;
        private final boolean continued;
        private final List<Integer> lines = new ArrayList<>();
        private final List<RowRejection> listed = new ArrayList<>();
        private ByteArrayOutputStream rows = new ByteArrayOutputStream();
        private int count;
        private boolean refused;
        private boolean moreRejections;

        Sale(String key, CsvRecord first) {
            this.key = key;
            this.first = first;
            this.scattered = scatteredSales.contains(hash(key));
            this.continued = scattered && !reportedScattered.add(hash(key));
        }

        void add(CsvRecord record, List<RowRejection> errors) {
            count++;
            List<RowRejection> own = new ArrayList<>(errors);
            if (scattered) {
                own.add(0, new RowRejection(record.line(), null, "sale " + key + " is refused: its rows are not "
                        + "consecutive in the file, and the rows of one sale must be consecutive"));
            }
            if (count == MAX_LINES_PER_SALE + 1) {
                own.add(new RowRejection(record.line(), null,
                        "sale " + key + " has more than " + MAX_LINES_PER_SALE + " lines"));
            }
            if (!refused && own.isEmpty()) {
                own.addAll(saleProblems(record));
            }
            if (!refused && own.isEmpty()) {
                lines.add(record.line());
                rows.write('\n');
                rows.writeBytes(record.bytes());
                return;
            }
            if (!refused) {
                refuse();
            }
            if (own.isEmpty()) {
                list(restOfSale(record.line()));
            } else {
                own.forEach(this::list);
            }
        }

        /** What makes this valid row refuse its sale: the sale's size, or a value differing from its first row. */
        private List<RowRejection> saleProblems(CsvRecord record) {
            if (rows.size() + 1 + record.bytes().length > MAX_SALE_BYTES) {
                return List.of(new RowRejection(record.line(), null,
                        "sale " + key + " is larger than " + MAX_SALE_BYTES / 1024 + " KB"));
            }
            List<RowRejection> problems = new ArrayList<>();
            if (record != first) {
                for (String column : PER_SALE) {
                    if (!value(record, column).equals(value(first, column))) {
                        problems.add(new RowRejection(record.line(), column, "differs from line " + first.line()
                                + " of the same sale"));
                    }
                }
            }
            return problems;
        }

        /** From here on only counted and reported: the valid rows read so far are refused with the rest. */
        private void refuse() {
            refused = true;
            rows = null;
            lines.forEach(line -> list(restOfSale(line)));
            lines.clear();
        }

        private RowRejection restOfSale(int line) {
            return new RowRejection(line, null, "refused with the rest of sale " + key + ", which has an invalid row");
        }

        private void list(RowRejection rejection) {
            if (listed.size() < CsvItem.MAX_LISTED_REJECTIONS) {
                listed.add(rejection);
            } else {
                moreRejections = true;
            }
        }

        CsvItem item() {
            String label = "sale " + key;
            if (!refused) {
                return CsvItem.valid(label, count, event(this));
            }
            return continued ? CsvItem.rejectedContinued(label, count, listed, moreRejections)
                    : CsvItem.rejected(label, count, listed, moreRejections);
        }

        byte[] payload(byte[] header) {
            ByteArrayOutputStream payload = new ByteArrayOutputStream(header.length + rows.size());
            payload.writeBytes(header);
            payload.writeBytes(rows.toByteArray());
            return payload.toByteArray();
        }
    }
}
