package dev.levain.api.service;

import java.time.LocalDate;

/** Distinct active customers of a store (null: all stores) in a bucket (null: the whole period). */
public record CustomerCount(Long storeId, LocalDate bucket, long customers) {
}
