package dev.levain.ingest.connector.crm.csv;

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
import dev.levain.ingest.connector.csv.RowRejection;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.RawEvent;
import java.io.ByteArrayOutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A contacts export, one contact per row, identified by its CRM {@code contact_id} or else its
 * e-mail. Each valid row is published as one event carrying the header and that row as uploaded.
 */
public final class ContactCsvRows implements CsvRows {

    static final List<String> REQUIRED = List.of("email");
    static final List<String> OPTIONAL = List.of("contact_id", "given_name", "family_name", "phone", "updated_at",
            "marketing_opt_in", "store_code");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 .()-]{6,20}");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "oui", "non", "1", "0");

    private final String tenant;
    private final ZoneId zone;
    private CsvHeader header;

    public ContactCsvRows(String tenant, ZoneId zone) {
        this.tenant = tenant;
        this.zone = zone;
    }

    @Override
    public String connector() {
        return Sources.CRM_CSV;
    }

    @Override
    public List<FieldError> header(CsvRecord record) {
        header = CsvHeader.read(record, REQUIRED, OPTIONAL);
        return header.problems();
    }

    @Override
    public List<CsvItem> row(CsvRecord record) {
        List<RowRejection> errors = validate(record);
        String key = key(record);
        String label = "contact " + key;
        if (!errors.isEmpty()) {
            return List.of(CsvItem.rejected(label, 1, errors, false));
        }
        return List.of(CsvItem.valid(label, 1, event(record, key)));
    }

    @Override
    public List<CsvItem> finish() {
        return List.of();
    }

    private RawEvent event(CsvRecord record, String key) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(header.bytes().length + 1 + record.bytes().length);
        payload.writeBytes(header.bytes());
        payload.write('\n');
        payload.writeBytes(record.bytes());
        byte[] bytes = payload.toByteArray();
        String source = Sources.uri(Sources.CRM_CSV, tenant);
        String contentHash = EventIds.sha256(bytes);
        String updatedAt = value(record, "updated_at");
        OffsetDateTime time = updatedAt.isBlank() ? null : CsvValues.dateTime(updatedAt, zone);
        // The id covers the bytes: a changed row is another event, never a conflict.
        return new RawEvent(Sources.CRM_CSV, Topics.RAW_CRM, key, EventIds.stableId(source, key, contentHash), null,
                source, EventTypes.RAW_CRM_CSV_CONTACT, time == null ? OffsetDateTime.now(zone) : time, RawEvent.CSV,
                contentHash, contentHash, bytes);
    }

    private String key(CsvRecord record) {
        String id = value(record, "contact_id").trim();
        return id.isEmpty() ? "email:" + value(record, "email").trim().toLowerCase(Locale.ROOT) : id;
    }

    private List<RowRejection> validate(CsvRecord record) {
        List<RowRejection> errors = new ArrayList<>();
        int line = record.line();
        RowRejection shape = header.shapeProblem(record);
        if (shape != null) {
            errors.add(shape);
            return errors;
        }
        String email = value(record, "email").trim();
        if (email.isEmpty()) {
            errors.add(new RowRejection(line, "email", "is required"));
        } else {
            EmailAddresses.problem(email).ifPresent(problem ->
                    errors.add(new RowRejection(line, "email", CsvValues.withValue(problem, email))));
        }
        String id = value(record, "contact_id").trim();
        if (!id.isEmpty() && !CsvValues.CODE.matcher(id).matches()) {
            errors.add(new RowRejection(line, "contact_id", "must be 1-64 letters, digits, '.', '_' or '-'"));
        }
        String phone = value(record, "phone").trim();
        if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
            errors.add(new RowRejection(line, "phone", "is not a phone number: " + phone));
        }
        String updatedAt = value(record, "updated_at").trim();
        if (!updatedAt.isEmpty() && CsvValues.dateTime(updatedAt, zone) == null) {
            errors.add(new RowRejection(line, "updated_at", "is not a date-time such as 2026-11-27T08:15:00+01:00"));
        }
        String optIn = value(record, "marketing_opt_in").trim().toLowerCase(Locale.ROOT);
        if (!optIn.isEmpty() && !BOOLEANS.contains(optIn)) {
            errors.add(new RowRejection(line, "marketing_opt_in", "must be one of " + BOOLEANS));
        }
        String store = value(record, "store_code").trim();
        if (!store.isEmpty() && !CsvValues.CODE.matcher(store).matches()) {
            errors.add(new RowRejection(line, "store_code", "must be 1-64 letters, digits, '.', '_' or '-'"));
        }
        return errors;
    }

    private String value(CsvRecord record, String column) {
        return header.value(record, column);
    }
}
