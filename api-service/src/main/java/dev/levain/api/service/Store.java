package dev.levain.api.service;

import java.time.ZoneId;

/** A store as the KPIs need it: its business days are counted in its own time zone. */
public record Store(long id, String code, String name, ZoneId timezone, String currency) {
}
