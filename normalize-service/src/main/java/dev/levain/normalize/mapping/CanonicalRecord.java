package dev.levain.normalize.mapping;

/** What a raw event becomes once mapped: one of the canonical records the model is written from. */
public sealed interface CanonicalRecord
        permits CanonicalSale, CanonicalRefund, CanonicalCustomer, CanonicalStockLevel, CanonicalProduct {
}
