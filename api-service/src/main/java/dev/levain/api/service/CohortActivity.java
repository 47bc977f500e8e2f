package dev.levain.api.service;

import java.time.LocalDate;

/** The customers of the cohort acquired in month {@code cohort} who were active in {@code month} (null: all of them). */
public record CohortActivity(LocalDate cohort, LocalDate month, long customers) {
}
