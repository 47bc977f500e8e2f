package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.CoreRepository;
import dev.levain.alert.repository.RuleRepository;
import dev.levain.alert.repository.StockRepository;
import dev.levain.events.inventory.InventoryChanged;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Evaluates low-stock, out-of-stock and days-of-supply rules on each inventory change. */
@ApplicationScoped
public class StockRules {

    private final StockRepository stock;
    private final RuleRepository rules;
    private final CoreRepository core;
    private final AlertLifecycle lifecycle;
    private final AlertConfig config;

    public StockRules(StockRepository stock, RuleRepository rules, CoreRepository core, AlertLifecycle lifecycle,
                      AlertConfig config) {
        this.stock = stock;
        this.rules = rules;
        this.core = core;
        this.lifecycle = lifecycle;
        this.config = config;
    }

    /** Applies a stock level to every stock rule of its store; an older version than the one seen is ignored. */
    public void onInventoryChanged(InventoryChanged level, Instant now) {
        if (level.storeCode() == null || level.sku() == null || level.onHand() == null) {
            throw new IllegalArgumentException("store_code, sku and on_hand are required");
        }
        if (!stock.storeIfNewer(level)) {
            return;
        }
        for (Rule rule : rules.enabledOfKinds(RuleKind.LOW_STOCK.code(), RuleKind.OUT_OF_STOCK.code(),
                RuleKind.DAYS_OF_SUPPLY.code())) {
            if (rule.appliesTo(level.storeCode())) {
                lifecycle.observe(rule, new AlertKey(rule.id(), level.storeCode(), level.sku()),
                        read(rule, level, now), now);
            }
        }
    }

    private Reading read(Rule rule, InventoryChanged level, Instant now) {
        BigDecimal onHand = level.onHand();
        return switch (rule.ruleKind()) {
            case LOW_STOCK -> {
                BigDecimal threshold = rule.threshold() != null ? rule.threshold() : level.reorderPoint();
                yield new Reading(threshold != null && onHand.compareTo(threshold) <= 0, onHand, threshold,
                        level.productName());
            }
            case OUT_OF_STOCK -> new Reading(onHand.signum() <= 0, onHand, BigDecimal.ZERO, level.productName());
            case DAYS_OF_SUPPLY -> daysOfSupply(rule, level, now);
            default -> throw new IllegalArgumentException("Not a stock rule: " + rule.kind());
        };
    }

    /** On hand / units sold per day; a product that did not sell lately has no days-of-supply alert. */
    private Reading daysOfSupply(Rule rule, InventoryChanged level, Instant now) {
        BigDecimal rate = core.dailySalesRate(level.storeCode(), level.sku(), config.salesRateDays(), now)
                .orElse(BigDecimal.ZERO);
        if (rate.signum() <= 0) {
            return new Reading(false, null, rule.minDays(), level.productName());
        }
        BigDecimal days = level.onHand().max(BigDecimal.ZERO).divide(rate, 2, RoundingMode.HALF_UP);
        return new Reading(days.compareTo(rule.minDays()) < 0, days, rule.minDays(), level.productName());
    }
}
