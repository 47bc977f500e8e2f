package dev.levain.alert.service;

import java.util.Arrays;
import java.util.Optional;

/** What a rule watches; {@link #code()} is its name in the API and the database. */
public enum RuleKind {

    LOW_STOCK("low_stock"),
    OUT_OF_STOCK("out_of_stock"),
    DAYS_OF_SUPPLY("days_of_supply"),
    STORE_SILENT("store_silent"),
    PIPELINE_HEALTH("pipeline_health"),
    SALES_THRESHOLD("sales_threshold"),
    SALES_UNUSUAL("sales_unusual"),
    CUSTOMER_CHANGE("customer_change");

    private final String code;

    RuleKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<RuleKind> of(String code) {
        return Arrays.stream(values()).filter(kind -> kind.code.equals(code)).findFirst();
    }

    /** Rules evaluated on each inventory change. */
    public boolean watchesStock() {
        return this == LOW_STOCK || this == OUT_OF_STOCK || this == DAYS_OF_SUPPLY;
    }
}
