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
 * sale with one bad row is refused whole, so no sale is ever recorded with lines missing.
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
    // 64-bit hashes of the sales already closed: a sale whose rows come back later in the file is refused.
    private final LongSet closedSales = new LongSet();
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
    public List<CsvItem> row(CsvRecord record) {
        if (record.problem() != null) {
            return unreadable(record);
        }
        List<CsvItem> completed = new ArrayList<>(1);
        String key = value(record, "store_code").trim() + "/" + value(record, "sale_id").trim();
        if (open != null && !open.key.equals(key)) {
            completed.add(close());
        }
        if (open == null) {
            open = new Sale(key, record, closedSales.contains(hash(key)));
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
        return List.of(CsvItem.rejected("line " + record.line(), List.of(record.line()), List.of(rejection)));
    }

    @Override
    public List<CsvItem> finish() {
        return open == null ? List.of() : List.of(close());
    }

    private CsvItem close() {
        Sale sale = open;
        open = null;
        closedSales.add(hash(sale.key));
        String label = "sale " + sale.key;
        if (sale.reopened) {
            sale.rejections.add(0, new RowRejection(sale.lines.get(0), null,
                    "sale " + sale.key + " appeared earlier in the file: the rows of one sale must be consecutive"));
        }
        if (!sale.rejections.isEmpty()) {
            List<RowRejection> all = new ArrayList<>(sale.rejections);
            sale.lines.stream()
                    .filter(line -> sale.rejections.stream().noneMatch(r -> r.line() == line))
                    .forEach(line -> all.add(new RowRejection(line, null,
                            "refused with the rest of sale " + sale.key + ", which has an invalid row")));
            all.sort((a, b) -> Integer.compare(a.line(), b.line()));
            return CsvItem.rejected(label, sale.lines, all);
        }
        return CsvItem.valid(label, sale.lines, event(sale));
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

    /** The rows of the sale being read. */
    private final class Sale {

        private final String key;
        private final CsvRecord first;
        private final boolean reopened;
        private final List<Integer> lines = new ArrayList<>();
        private final List<RowRejection> rejections = new ArrayList<>();
        private final ByteArrayOutputStream rows = new ByteArrayOutputStream();

        Sale(String key, CsvRecord first, boolean reopened) {
            this.key = key;
            this.first = first;
            this.reopened = reopened;
        }

        void add(CsvRecord record, List<RowRejection> errors) {
            lines.add(record.line());
            rejections.addAll(errors);
            if (lines.size() == MAX_LINES_PER_SALE + 1) {
                rejections.add(new RowRejection(record.line(), null,
                        "sale " + key + " has more than " + MAX_LINES_PER_SALE + " lines"));
            } else if (rejections.isEmpty() && rows.size() + 1 + record.bytes().length > MAX_SALE_BYTES) {
                rejections.add(new RowRejection(record.line(), null,
                        "sale " + key + " is larger than " + MAX_SALE_BYTES / 1024 + " KB"));
            }
            if (rejections.isEmpty() && record != first) {
                for (String column : PER_SALE) {
                    if (!value(record, column).equals(value(first, column))) {
                        rejections.add(new RowRejection(record.line(), column, "differs from line " + first.line()
                                + " of the same sale"));
                    }
                }
            }
            if (rejections.isEmpty()) {
                rows.write('\n');
                rows.writeBytes(record.bytes());
            } else {
                // A refused sale is only reported: its bytes need not be kept.
                rows.reset();
            }
        }

        byte[] payload(byte[] header) {
            ByteArrayOutputStream payload = new ByteArrayOutputStream(header.length + rows.size());
            payload.writeBytes(header);
            payload.writeBytes(rows.toByteArray());
            return payload.toByteArray();
        }
    }
}
