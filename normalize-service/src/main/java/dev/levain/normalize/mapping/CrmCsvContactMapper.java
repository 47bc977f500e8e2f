package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a contact imported from CSV (the header line and one row) becomes a canonical customer. It is
 * identified as ingest keys it: its {@code contact_id}, else {@code email:} and the lower-cased e-mail. The
 * version is {@code updated_at} in epoch milliseconds (a local time read in the row's store zone, else the
 * default store zone), 0 without one. As for CRM contacts, an invalid phone is dropped, not rejected.
 */
@ApplicationScoped
public class CrmCsvContactMapper implements RawEventMapper {

    private static final Map<String, Boolean> BOOLEANS = Map.of("true", true, "yes", true, "oui", true, "1", true,
            "false", false, "no", false, "non", false, "0", false);

    private final NormalizeConfig config;
    private final StoreDirectory stores;
    private final StoreDefaults defaults;

    public CrmCsvContactMapper(NormalizeConfig config, StoreDirectory stores, StoreDefaults defaults) {
        this.config = config;
        this.stores = stores;
        this.defaults = defaults;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_CRM_CSV_CONTACT);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        CsvTable table = CsvTable.read(raw.payload(), List.of("email"));
        if (table.size() != 1) {
            throw new RejectedEventException("payload holds " + table.size() + " rows; one contact is expected");
        }
        String email = Fields.required(Fields.email(table.value(0, "email"), CsvTable.field(0, "email")),
                CsvTable.field(0, "email"));
        String contactId = table.value(0, "contact_id").trim();
        String updatedAt = table.value(0, "updated_at");
        long version = updatedAt.isBlank() ? 0
                : Fields.version(Fields.dateTime(updatedAt, zone(table), CsvTable.field(0, "updated_at")));
        return List.of(new CanonicalCustomer(Sources.CRM_CSV, contactId.isEmpty() ? "email:" + email : contactId,
                email, Phones.e164(table.value(0, "phone"), config.defaultPhoneRegion()),
                Fields.name(table.value(0, "given_name"), table.value(0, "family_name")),
                optIn(table.value(0, "marketing_opt_in")), version, raw.receivedAt()));
    }

    private ZoneId zone(CsvTable table) {
        String store = table.value(0, "store_code");
        return defaults.zone(store.isBlank() ? "" : stores.storeCode(store));
    }

    private static Boolean optIn(String text) {
        if (text.isBlank()) {
            return null;
        }
        Boolean value = BOOLEANS.get(text.trim().toLowerCase(Locale.ROOT));
        if (value == null) {
            throw new RejectedEventException(CsvTable.field(0, "marketing_opt_in")
                    + " must be true, false, yes, no, oui, non, 1 or 0, not " + text);
        }
        return value;
    }
}
