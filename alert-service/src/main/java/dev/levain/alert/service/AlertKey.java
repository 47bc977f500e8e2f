package dev.levain.alert.service;

/** What one alert is about: a rule, a store ('*' for the pipeline) and a subject ('' for the store itself). */
public record AlertKey(long ruleId, String storeCode, String subject) {

    public static final String WHOLE_STORE = "";
    public static final String PIPELINE = "*";
}
