package dev.levain.ingest.connector.csv;

/** Why a CSV row was not accepted: its line in the file, the column (or null for the whole row), the reason. */
public record RowRejection(int line, String column, String reason) {
}
