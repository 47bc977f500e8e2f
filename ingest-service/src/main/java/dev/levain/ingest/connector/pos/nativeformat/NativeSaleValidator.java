package dev.levain.ingest.connector.pos.nativeformat;

import dev.levain.events.pos.PosSale;
import dev.levain.events.pos.PosSaleLine;
import dev.levain.ingest.connector.EmailAddresses;
import dev.levain.ingest.service.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules a native POS sale must meet before it is accepted; field names are the JSON ones. */
final class NativeSaleValidator {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Set<String> STATUSES = Set.of(PosSale.STATUS_COMPLETED, PosSale.STATUS_VOIDED);
    private static final int MAX_LINES = 500;

    List<FieldError> validate(PosSale sale) {
        List<FieldError> errors = new ArrayList<>();
        requireCode(errors, "store_code", sale.storeCode());
        requireCode(errors, "sale_id", sale.saleId());
        if (sale.occurredAt() == null) {
            errors.add(new FieldError("occurred_at", "is required"));
        }
        if (sale.status() != null && !STATUSES.contains(sale.status())) {
            errors.add(new FieldError("status", "must be one of " + STATUSES));
        }
        if (sale.version() != null && sale.version() < 0) {
            errors.add(new FieldError("version", "must not be negative"));
        }
        if (sale.currency() != null && !CURRENCY.matcher(sale.currency()).matches()) {
            errors.add(new FieldError("currency", "must be an ISO-4217 code such as EUR"));
        }
        if (sale.customerEmail() != null) {
            EmailAddresses.problem(sale.customerEmail())
                    .ifPresent(problem -> errors.add(new FieldError("customer_email", problem)));
        }
        validateLines(errors, sale.lines());
        return errors;
    }

    private static void validateLines(List<FieldError> errors, List<PosSaleLine> lines) {
        if (lines == null || lines.isEmpty()) {
            errors.add(new FieldError("lines", "must hold at least one line"));
            return;
        }
        if (lines.size() > MAX_LINES) {
            errors.add(new FieldError("lines", "must hold at most " + MAX_LINES + " lines"));
        }
        for (int i = 0; i < lines.size(); i++) {
            String at = "lines[" + i + "]";
            PosSaleLine line = lines.get(i);
            if (line == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            requireCode(errors, at + ".sku", line.sku());
            requirePositive(errors, at + ".quantity", line.quantity(), 3);
            requireMoney(errors, at + ".unit_price", line.unitPrice(), true);
            requireMoney(errors, at + ".discount", line.discount(), false);
            if (line.discount() != null && line.quantity() != null && line.unitPrice() != null
                    && line.discount().compareTo(line.quantity().multiply(line.unitPrice())) > 0) {
                errors.add(new FieldError(at + ".discount", "must not exceed quantity × unit_price"));
            }
        }
    }

    private static void requireCode(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (!CODE.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 1-64 letters, digits, '.', '_' or '-'"));
        }
    }

    private static void requirePositive(List<FieldError> errors, String field, BigDecimal value, int maxScale) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.signum() <= 0) {
            errors.add(new FieldError(field, "must be greater than 0"));
        } else if (value.stripTrailingZeros().scale() > maxScale) {
            errors.add(new FieldError(field, "must have at most " + maxScale + " decimals"));
        }
    }

    private static void requireMoney(List<FieldError> errors, String field, BigDecimal value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (value.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative"));
        } else if (value.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(field, "must have at most 2 decimals"));
        } else if (value.compareTo(new BigDecimal("999999999999.99")) > 0) {
            errors.add(new FieldError(field, "is too large"));
        }
    }
}
