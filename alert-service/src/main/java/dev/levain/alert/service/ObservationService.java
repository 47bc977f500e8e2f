package dev.levain.alert.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.levain.alert.repository.ObservedEventRepository;
import dev.levain.alert.repository.StockRepository;
import dev.levain.events.Json;
import dev.levain.events.LogContext;
import dev.levain.events.Topics;
import dev.levain.events.inventory.InventoryChanged;
import dev.levain.events.sales.SaleRecorded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/**
 * Records each inventory and sales event once (by CloudEvents id) and applies it to the rules in the
 * same transaction: a duplicate or a replay finds its id stored and changes nothing.
 */
@ApplicationScoped
public class ObservationService {

    private static final Logger LOG = Logger.getLogger(ObservationService.class);

    private final ObservedEventRepository events;
    private final StockRules stockRules;
    private final StockRepository stock;
    private final SalesRules salesRules;
    private final Clock clock;

    public ObservationService(ObservedEventRepository events, StockRules stockRules, StockRepository stock,
                              SalesRules salesRules, Clock clock) {
        this.events = events;
        this.stockRules = stockRules;
        this.stock = stock;
        this.salesRules = salesRules;
        this.clock = clock;
    }

    /** Stores the event unless its id was seen before and, when new, evaluates it; returns whether it was new. */
    @Transactional
    public boolean observe(Observation observation) {
        Instant now = clock.instant();
        if (!events.insertIfNew(observation, OffsetDateTime.ofInstant(now, clock.getZone()))) {
            return false;
        }
        try {
            if (Topics.INVENTORY_CHANGED.equals(observation.topic())) {
                InventoryChanged level = Json.mapper().readValue(observation.payload(), InventoryChanged.class);
                LogContext.store(level.storeCode());
                stockRules.onInventoryChanged(level, now);
            } else if (Topics.SALES_RECORDED.equals(observation.topic())) {
                SaleRecorded sale = Json.mapper().readValue(observation.payload(), SaleRecorded.class);
                LogContext.store(sale.storeCode());
                if (sale.storeCode() != null && sale.occurredAt() != null) {
                    stock.saleSeen(sale.storeCode(), sale.occurredAt().toInstant());
                }
                if (sale.storeCode() != null) {
                    salesRules.onSale(sale.storeCode(), now);
                }
            }
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            // Kept as observed: a record our normalizer wrote wrongly is a bug to log, not a reason to stop the topic.
            LOG.errorf("Event %s on %s not evaluated: %s", observation.eventId(), observation.topic(), e.getMessage());
        } finally {
            LogContext.store(null);
        }
        return true;
    }
}
