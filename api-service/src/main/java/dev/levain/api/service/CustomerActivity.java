package dev.levain.api.service;

import java.time.LocalDate;

/**
 * Customer activity of a store (null: all stores, each customer once) in the whole period ({@code whole}) or
 * in the bucket starting at {@code bucket}: active and repeat customers, those active in the period or
 * bucket just before, and those of them active again.
 */
public record CustomerActivity(boolean whole, LocalDate bucket, Long storeId, long active, long repeat,
                               long previouslyActive, long retained) {
}
