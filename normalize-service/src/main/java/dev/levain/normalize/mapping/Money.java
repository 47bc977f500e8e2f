package dev.levain.normalize.mapping;

import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Exact money and quantities as the model stores them: numeric(14,2) amounts, numeric(14,3) quantities. */
final class Money {

    static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("99999999999.999");

    private Money() {
    }

    /** A money amount as stored: non-negative, at most 2 decimals, fits numeric(14,2). */
    static BigDecimal requireAmount(BigDecimal amount, String field) {
        if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 2 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new RejectedEventException(field + " must be a non-negative amount below 10^12 with at most 2 decimals");
        }
        return money(amount);
    }

    /** A sold quantity: positive, at most 3 decimals, fits numeric(14,3). */
    static BigDecimal requireQuantity(BigDecimal qty, String field) {
        if (qty.signum() <= 0 || qty.stripTrailingZeros().scale() > 3 || qty.compareTo(MAX_QUANTITY) > 0) {
            throw new RejectedEventException(field + " must be positive, below 10^11, with at most 3 decimals");
        }
        return atMost3Decimals(qty);
    }

    /** A counted quantity (stock on hand, reorder point): any sign, at most 3 decimals, fits numeric(14,3). */
    static BigDecimal requireCount(BigDecimal count, String field) {
        if (count.stripTrailingZeros().scale() > 3 || count.abs().compareTo(MAX_QUANTITY) > 0) {
            throw new RejectedEventException(field + " must be below 10^11 in size, with at most 3 decimals");
        }
        return atMost3Decimals(count);
    }

    /** Square writes "1.70000": the zeros past numeric(14,3)'s scale are dropped, exactly. */
    private static BigDecimal atMost3Decimals(BigDecimal quantity) {
        return quantity.scale() > 3 ? quantity.setScale(3, RoundingMode.UNNECESSARY) : quantity;
    }

    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN);
    }

    static BigDecimal sum(List<BigDecimal> amounts) {
        return amounts.stream().reduce(ZERO, BigDecimal::add);
    }

    /** An ISO-4217 code, upper-cased; {@code fallback} when absent. */
    static String currency(String code, String fallback, String field) {
        String normalized = code == null || code.isBlank() ? fallback : code.trim().toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(normalized).matches()) {
            throw new RejectedEventException(field + " must be an ISO-4217 code, not " + code);
        }
        return normalized;
    }

    /**
     * An amount given in the currency's minor units (cents), as Square and other POS APIs carry money:
     * moved by the currency's own number of decimals (0 for JPY, 2 for EUR), exactly.
     */
    static BigDecimal fromMinorUnits(long minor, String currency, String field) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            throw new RejectedEventException(field + " has an unknown currency: " + currency);
        }
        return requireAmount(BigDecimal.valueOf(minor).movePointLeft(digits), field);
    }
}
