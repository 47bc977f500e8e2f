package dev.levain.alert.rest;

import dev.levain.alert.service.FieldError;
import dev.levain.alert.service.InvalidInputException;
import java.util.List;

/** Checks the {@code page} (from 1) and {@code size} (1 to 200) query parameters of listings. */
final class Paging {

    static final String DEFAULT_SIZE = "50";
    static final int MAX_SIZE = 200;

    private Paging() {
    }

    static void check(int page, int size) {
        if (page < 1) {
            throw new InvalidInputException(List.of(new FieldError("page", "must be >= 1")));
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException(List.of(new FieldError("size", "must be 1 to " + MAX_SIZE)));
        }
    }
}
