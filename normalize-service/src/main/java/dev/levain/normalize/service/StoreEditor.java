package dev.levain.normalize.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.normalize.mapping.StoreCatalog;
import dev.levain.normalize.repository.StoreRepository;
import dev.levain.normalize.repository.StoreRepository.MasterData;
import dev.levain.normalize.repository.StoreRepository.StoreRecord;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An admin's edits of store master data (DESIGN.md §3): checked field by field, written with the store's row locked,
 * and seen by every normalizer replica from its next batch ({@link StoreCatalog}). A store's zone and currency are
 * fixed once it has sales: its business days and sums were counted in them.
 */
@ApplicationScoped
public class StoreEditor {

    /** A store as an admin gives it; {@code openingHours} null means always open. */
    public record StoreInput(String name, String timezone, String currency, JsonNode openingHours, List<String> aliases) {
    }

    /** The store as saved, and whether this edit created it. */
    public record Saved(StoreRecord store, boolean created) {
    }

    /** An edit refused: 400 with the fields at fault, or 409 when it conflicts with what is stored. */
    public static class RefusedException extends RuntimeException {

        private final int status;
        private final Map<String, String> errors;

        RefusedException(int status, String title, Map<String, String> errors) {
            super(title);
            this.status = status;
            this.errors = errors;
        }

        public int status() {
            return status;
        }

        public Map<String, String> errors() {
            return errors;
        }
    }

    private static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{0,31}");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final int MAX_ALIASES = 20;

    private final StoreRepository stores;
    private final AgroalDataSource dataSource;

    public StoreEditor(StoreRepository stores, AgroalDataSource dataSource) {
        this.stores = stores;
        this.dataSource = dataSource;
    }

    public List<StoreRecord> list() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return stores.list(connection);
        }
    }

    public Optional<StoreRecord> find(String code) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return stores.find(connection, StoreCatalog.code(code));
        }
    }

    /** Creates store {@code code} or replaces its master data. */
    public Saved save(String rawCode, StoreInput input) throws SQLException {
        String code = StoreCatalog.code(rawCode);
        MasterData data = checked(code, input);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Optional<StoreRecord> before = stores.lock(connection, code);
                before.ifPresent(stored -> keepCounted(stored, data));
                Optional<String> aliasOf = stores.storeWithAlias(connection, code);
                if (aliasOf.isPresent()) {
                    // Aliases are resolved first: this store would never receive the events of its own code.
                    throw conflict("code", code + " is an alias of store " + aliasOf.get()
                            + ": take it out of that store's aliases first");
                }
                for (String alias : data.aliases()) {
                    Optional<String> holder = stores.storeWithAlias(connection, alias);
                    if (holder.isPresent() && !holder.get().equals(code)) {
                        throw conflict("aliases", alias + " is already an alias of store " + holder.get());
                    }
                    if (stores.find(connection, alias).isPresent()) {
                        throw conflict("aliases", alias + " is the code of another store: its events would change store");
                    }
                }
                stores.save(connection, data);
                StoreRecord saved = stores.find(connection, code).orElseThrow();
                connection.commit();
                // Every replica's next batch reads the stores again (the catalog's version moved).
                return new Saved(saved, before.isEmpty());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (e instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    throw conflict("aliases", "an alias was just given to another store; read the stores again");
                }
                throw e;
            }
        }
    }

    /** Business days and sums already counted in the store's zone and currency stay right only if those stay. */
    private static void keepCounted(StoreRecord stored, MasterData edit) {
        if (!stored.hasSales()) {
            return;
        }
        if (!stored.timezone().equals(edit.timezone())) {
            throw conflict("timezone", "store " + stored.code() + " has sales counted in " + stored.timezone()
                    + " business days: its zone cannot change (open a new store for another zone)");
        }
        if (!stored.currency().equals(edit.currency())) {
            throw conflict("currency", "store " + stored.code() + " has sales in " + stored.currency()
                    + ": its currency cannot change (a sale is never added up across currencies)");
        }
    }

    private static MasterData checked(String code, StoreInput input) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (!CODE.matcher(code).matches()) {
            errors.put("code", "must be 1 to 32 letters, digits, - or _ (starting with a letter or digit), not " + code);
        }
        if (input == null) {
            throw new RefusedException(400, "A JSON body with name, timezone and currency is required", Map.of());
        }
        String name = input.name() == null ? "" : input.name().trim();
        if (name.isEmpty() || name.length() > 100) {
            errors.put("name", "is required, up to 100 characters");
        }
        String timezone = input.timezone() == null ? "" : input.timezone().trim();
        if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
            errors.put("timezone", "must be an IANA time zone such as Europe/Paris, not " + quoted(input.timezone()));
        }
        String currency = input.currency() == null ? "" : input.currency().trim().toUpperCase(java.util.Locale.ROOT);
        if (!knownCurrency(currency)) {
            errors.put("currency", "must be an ISO-4217 code such as EUR, not " + quoted(input.currency()));
        }
        String hours = openingHours(input.openingHours(), errors);
        Set<String> aliases = new LinkedHashSet<>();
        List<String> given = input.aliases() == null ? List.of() : input.aliases();
        if (given.size() > MAX_ALIASES) {
            errors.put("aliases", "at most " + MAX_ALIASES + " aliases");
        }
        for (String alias : given) {
            String normalized = alias == null ? "" : StoreCatalog.code(alias);
            if (normalized.isEmpty() || normalized.length() > 64) {
                errors.put("aliases", "each alias is 1 to 64 characters, not " + quoted(alias));
            } else if (normalized.equals(code)) {
                errors.put("aliases", normalized + " is the store's own code");
            } else {
                aliases.add(normalized);
            }
        }
        if (!errors.isEmpty()) {
            throw new RefusedException(400, "The store has fields to correct", errors);
        }
        return new MasterData(code, name, timezone, currency, hours, List.copyOf(aliases));
    }

    /** {@code {"mon": [["07:00", "19:30"]], ..., "sun": []}}, as alert-service reads it; null when not given. */
    private static String openingHours(JsonNode hours, Map<String, String> errors) {
        if (hours == null || hours.isNull()) {
            return null;
        }
        String shape = "must be an object of weekdays (mon to sun), each a list of [\"HH:MM\", \"HH:MM\"] intervals";
        if (!hours.isObject()) {
            errors.put("opening_hours", shape);
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> days = hours.fields(); days.hasNext(); ) {
            Map.Entry<String, JsonNode> day = days.next();
            if (!DAYS.contains(day.getKey())) {
                errors.put("opening_hours", shape + "; " + day.getKey() + " is not a weekday");
                return null;
            }
            if (!day.getValue().isArray()) {
                errors.put("opening_hours." + day.getKey(), "must be a list of [\"HH:MM\", \"HH:MM\"] intervals");
                continue;
            }
            for (JsonNode interval : day.getValue()) {
                if (!interval.isArray() || interval.size() != 2 || !time(interval.get(0)) || !time(interval.get(1))) {
                    errors.put("opening_hours." + day.getKey(), "each interval is [\"HH:MM\", \"HH:MM\"], not " + interval);
                }
            }
        }
        return hours.toString();
    }

    private static boolean time(JsonNode value) {
        if (!value.isTextual() || !TIME.matcher(value.asText()).matches()) {
            return false;
        }
        try {
            LocalTime.parse(value.asText());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean knownCurrency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "\"" + value + "\"";
    }

    private static RefusedException conflict(String field, String message) {
        return new RefusedException(409, message, Map.of(field, message));
    }
}
