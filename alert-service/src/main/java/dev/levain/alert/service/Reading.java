package dev.levain.alert.service;

import java.math.BigDecimal;

/** A rule's condition as just measured: whether it holds, the level seen and the threshold it was held against. */
public record Reading(boolean holds, BigDecimal level, BigDecimal threshold, String subjectName) {
}
