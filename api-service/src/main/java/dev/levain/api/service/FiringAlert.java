package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.Instant;

/** An alert firing in alert-service, with its rule's name and kind ({@code store} null for a pipeline alert). */
public record FiringAlert(long id, String rule, String kind, String store, String subject, BigDecimal level,
                          BigDecimal threshold, Instant firedAt) {
}
