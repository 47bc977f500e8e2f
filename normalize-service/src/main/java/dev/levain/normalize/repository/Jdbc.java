package dev.levain.normalize.repository;

import java.sql.SQLException;

/** Wraps checked SQL failures; the transaction they happen in is rolled back. */
public final class Jdbc {

    private Jdbc() {
    }

    public static RuntimeException failure(String what, SQLException e) {
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
