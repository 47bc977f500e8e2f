package dev.levain.alert.service;

import java.util.List;

/** One page of a listing; {@code page} counts from 1. */
public record Page<T>(int page, int size, List<T> items) {
}
