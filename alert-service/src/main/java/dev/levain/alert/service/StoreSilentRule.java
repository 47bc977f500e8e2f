package dev.levain.alert.service;

import dev.levain.alert.repository.CoreRepository;
import dev.levain.alert.repository.CoreRepository.StoreHours;
import dev.levain.alert.repository.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Store-silent rules: no sale for N minutes while the store is open, in its own time zone. Silence
 * counts from the later of the last sale and the opening, so a store is not silent the minute it opens.
 * A store never seen selling is not judged.
 */
@ApplicationScoped
public class StoreSilentRule {

    private static final Logger LOG = Logger.getLogger(StoreSilentRule.class);

    private final RuleRepository rules;
    private final CoreRepository core;
    private final AlertLifecycle lifecycle;

    public StoreSilentRule(RuleRepository rules, CoreRepository core, AlertLifecycle lifecycle) {
        this.rules = rules;
        this.core = core;
        this.lifecycle = lifecycle;
    }

    public void evaluate(Instant now) {
        List<Rule> silentRules = rules.enabledOfKinds(RuleKind.STORE_SILENT.code());
        if (silentRules.isEmpty()) {
            return;
        }
        for (StoreHours store : core.storesWithHours()) {
            Optional<Reading> reading = read(store, now);
            for (Rule rule : silentRules) {
                if (rule.appliesTo(store.code()) && reading.isPresent()) {
                    Reading minutes = reading.get();
                    BigDecimal limit = BigDecimal.valueOf(rule.silentMinutes());
                    lifecycle.observe(rule, new AlertKey(rule.id(), store.code(), AlertKey.WHOLE_STORE),
                            new Reading(minutes.level() != null && minutes.level().compareTo(limit) >= 0,
                                    minutes.level(), limit, null), now);
                }
            }
        }
    }

    /** Minutes of silence while open (null level: closed), or empty when the store cannot be judged. */
    private static Optional<Reading> read(StoreHours store, Instant now) {
        if (store.lastSaleAt() == null) {
            return Optional.empty();
        }
        Optional<Instant> openSince;
        try {
            openSince = OpeningHours.parse(store.openingHours(), store.timezone()).openSince(now);
        } catch (RuntimeException e) {
            LOG.warnf("Store %s: %s; not judged", store.code(), e.getMessage());
            return Optional.empty();
        }
        if (openSince.isEmpty()) {
            return Optional.of(new Reading(false, null, null, null));
        }
        Instant silentSince = store.lastSaleAt().isAfter(openSince.get()) ? store.lastSaleAt() : openSince.get();
        long minutes = Math.max(0, Duration.between(silentSince, now).toMinutes());
        return Optional.of(new Reading(true, BigDecimal.valueOf(minutes), null, null));
    }
}
