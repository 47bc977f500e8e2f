package dev.levain.api.service;

import dev.levain.api.repository.InventoryRepository;
import dev.levain.api.repository.ProductKpiRepository;
import dev.levain.api.repository.SalesRollupRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Inventory KPIs as DESIGN.md §4 defines them: stock status per product × store, turnover, days of inventory. */
@ApplicationScoped
public class InventoryKpiService {

    /** How many products each of the slowest and fastest lists names. */
    static final int RANKED_PRODUCTS = 5;

    private final InventoryRepository inventory;
    private final SalesRollupRepository sales;
    private final ProductKpiRepository products;
    private final FreshnessService freshness;

    public InventoryKpiService(InventoryRepository inventory, SalesRollupRepository sales,
                               ProductKpiRepository products, FreshnessService freshness) {
        this.inventory = inventory;
        this.sales = sales;
        this.products = products;
        this.freshness = freshness;
    }

    /** Every product's level at the stores, with its status; {@code status} keeps only the levels of that status. */
    public InventoryLevels levels(List<Store> stores, String status, Caller caller) {
        Optional<StockStatus> only = status == null || status.isBlank() ? Optional.empty()
                : Optional.of(StockStatus.parse(status));
        boolean costs = caller.seesCosts();
        Map<Long, Store> byId = new HashMap<>();
        stores.forEach(store -> byId.put(store.id(), store));

        List<StockLevel> all = new ArrayList<>();
        Map<Long, Map<StockStatus, Long>> counts = new HashMap<>();
        Map<Long, BigDecimal> values = new HashMap<>();
        for (StockRow row : inventory.levels(stores.stream().mapToLong(Store::id).toArray())) {
            StockStatus rowStatus = StockStatus.of(row.onHand(), row.reorderPoint());
            BigDecimal value = row.unitCost() == null ? null
                    : row.onHand().max(BigDecimal.ZERO).multiply(row.unitCost()).setScale(2, RoundingMode.HALF_UP);
            all.add(new StockLevel(row.sku(), row.name(), row.category(), byId.get(row.storeId()).code(), row.onHand(),
                    row.reorderPoint(), rowStatus.code(), row.asOf(), costs ? row.unitCost() : null,
                    costs ? value : null));
            counts.computeIfAbsent(row.storeId(), id -> new EnumMap<>(StockStatus.class)).merge(rowStatus, 1L, Long::sum);
            if (value != null) {
                values.merge(row.storeId(), value, BigDecimal::add);
            }
        }
        List<InventoryLevels.StoreStock> byStore = new ArrayList<>();
        Map<StockStatus, Long> total = new EnumMap<>(StockStatus.class);
        for (Store store : stores) {
            Map<StockStatus, Long> storeCounts = counts.getOrDefault(store.id(), Map.of());
            storeCounts.forEach((key, count) -> total.merge(key, count, Long::sum));
            byStore.add(new InventoryLevels.StoreStock(store.code(), store.name(), store.currency(), counted(storeCounts),
                    costs ? values.getOrDefault(store.id(), BigDecimal.ZERO.setScale(2)) : null));
        }
        return new InventoryLevels(stores.stream().map(Store::code).toList(), only.map(StockStatus::code).orElse(null),
                counted(total), byStore,
                all.stream().filter(level -> only.map(s -> s.code().equals(level.status())).orElse(true)).toList(),
                withStatus(all, StockStatus.LOW), withStatus(all, StockStatus.OUT), freshness.current(caller));
    }

    /** COGS, average inventory value, turnover and days of inventory, per store and in total, with the previous period. */
    public InventoryTurnover turnover(KpiQuery query, Caller caller) {
        String currency = SalesKpiService.currency(query.stores());
        boolean costs = caller.seesCosts();
        Period previous = query.period().previous();
        List<InventoryRepository.ValueDays> productValues =
                inventory.valueDaysByProduct(query.storeIds(), query.period(), previous);
        Sums now = sums(query, productValues, InventoryRepository.ValueDays::valueDays);
        Sums before = sums(query.over(previous), productValues, InventoryRepository.ValueDays::previousValueDays);

        List<InventoryTurnover.StoreTurnover> byStore = new ArrayList<>();
        for (Store store : query.stores()) {
            byStore.add(new InventoryTurnover.StoreTurnover(store.code(), store.name(),
                    now.store(store.id()).figures(query.period(), costs),
                    before.store(store.id()).figures(previous, costs)));
        }
        TurnoverFigures total = now.total().figures(query.period(), costs);
        TurnoverFigures previousTotal = before.total().figures(previous, costs);
        Map<String, BigDecimal> change = new LinkedHashMap<>();
        if (costs) {
            change.put("cogs", SalesKpiService.percent(total.cogs(), previousTotal.cogs()));
            change.put("average_inventory_value", SalesKpiService.percent(total.averageInventoryValue(),
                    previousTotal.averageInventoryValue()));
        }
        change.put("turnover", SalesKpiService.percent(total.turnover(), previousTotal.turnover()));
        change.put("days_of_inventory", SalesKpiService.percent(total.daysOfInventory(), previousTotal.daysOfInventory()));
        return new InventoryTurnover(query.period().from(), query.period().to(), query.period().days(), currency,
                query.stores().stream().map(Store::code).toList(), total, byStore,
                new InventoryTurnover.Compared(previous.from(), previous.to(), previousTotal, change),
                rankedProducts(query, productValues, costs), freshness.current(caller));
    }

    /** The average inventory value of the stores over the period (a cost: the caller must check who sees it). */
    public BigDecimal averageInventoryValue(List<Store> stores, Period period) {
        BigDecimal valueDays = inventory.valueDays(stores.stream().mapToLong(Store::id).toArray(), period).values()
                .stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return valueDays.divide(BigDecimal.valueOf(period.days()), 2, RoundingMode.HALF_UP);
    }

    private Sums sums(KpiQuery query, List<InventoryRepository.ValueDays> productValues,
                      Function<InventoryRepository.ValueDays, BigDecimal> valueDaysOf) {
        Map<Long, BigDecimal> cogs = new HashMap<>();
        // Month buckets: fewer rows to add up; the rollups are read in each store's business days.
        KpiQuery months = new KpiQuery(query.stores(), query.period(), Granularity.MONTH, Optional.empty());
        sales.sales(months, Optional.empty())
                .forEach(row -> cogs.merge(row.storeId(), row.cogs(), BigDecimal::add));
        Map<Long, BigDecimal> valueDays = new HashMap<>();
        productValues.forEach(row -> valueDays.merge(row.storeId(), valueDaysOf.apply(row), BigDecimal::add));
        return new Sums(cogs, valueDays);
    }

    /**
     * Each product with stock value in the period, all the query's stores together (its COGS from the product
     * rollup, the same lines the store figures add up), ranked by turnover: slowest first, and fastest first.
     */
    private InventoryTurnover.Products rankedProducts(KpiQuery query, List<InventoryRepository.ValueDays> productValues,
                                                     boolean costs) {
        Map<String, BigDecimal> valueDays = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (InventoryRepository.ValueDays row : productValues) {
            valueDays.merge(row.sku(), row.valueDays(), BigDecimal::add);
            names.put(row.sku(), row.name());
        }
        Map<String, BigDecimal> cogs = products.cogsBySku(query.storeIds(), query.period());
        List<InventoryTurnover.ProductTurnover> ranked = valueDays.entrySet().stream()
                .filter(entry -> entry.getValue().signum() > 0)
                .map(entry -> new InventoryTurnover.ProductTurnover(entry.getKey(), names.get(entry.getKey()),
                        new Slice(cogs.getOrDefault(entry.getKey(), BigDecimal.ZERO), entry.getValue())
                                .figures(query.period(), costs)))
                .sorted(Comparator.comparing((InventoryTurnover.ProductTurnover product) ->
                        product.figures().turnover()).thenComparing(InventoryTurnover.ProductTurnover::sku))
                .toList();
        List<InventoryTurnover.ProductTurnover> fastest = new ArrayList<>(ranked);
        fastest.sort(Comparator.comparing((InventoryTurnover.ProductTurnover product) ->
                product.figures().turnover()).reversed().thenComparing(InventoryTurnover.ProductTurnover::sku));
        return new InventoryTurnover.Products(ranked.stream().limit(RANKED_PRODUCTS).toList(),
                fastest.stream().limit(RANKED_PRODUCTS).toList());
    }

    private static InventoryLevels.StatusCounts counted(Map<StockStatus, Long> counts) {
        return new InventoryLevels.StatusCounts(counts.getOrDefault(StockStatus.OK, 0L),
                counts.getOrDefault(StockStatus.LOW, 0L), counts.getOrDefault(StockStatus.OUT, 0L));
    }

    private static List<StockLevel> withStatus(List<StockLevel> levels, StockStatus status) {
        return levels.stream().filter(level -> level.status().equals(status.code())).toList();
    }

    /** COGS and Σ daily inventory value of one period, per store. */
    private record Sums(Map<Long, BigDecimal> cogs, Map<Long, BigDecimal> valueDays) {

        Slice store(long storeId) {
            return new Slice(cogs.getOrDefault(storeId, BigDecimal.ZERO), valueDays.getOrDefault(storeId, BigDecimal.ZERO));
        }

        Slice total() {
            return new Slice(cogs.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add),
                    valueDays.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        }
    }

    /**
     * COGS and Σ over the days of the daily inventory value: average value = valueDays / days, so turnover =
     * COGS × days / valueDays and days of inventory = valueDays / COGS, computed before any rounding.
     */
    private record Slice(BigDecimal cogs, BigDecimal valueDays) {

        TurnoverFigures figures(Period period, boolean costs) {
            BigDecimal days = BigDecimal.valueOf(period.days());
            BigDecimal average = valueDays.divide(days, 2, RoundingMode.HALF_UP);
            BigDecimal turnover = valueDays.signum() == 0 ? null
                    : cogs.multiply(days).divide(valueDays, 2, RoundingMode.HALF_UP);
            BigDecimal daysOfInventory = cogs.signum() == 0 ? null : valueDays.divide(cogs, 1, RoundingMode.HALF_UP);
            return new TurnoverFigures(costs ? cogs.setScale(2, RoundingMode.HALF_UP) : null, costs ? average : null,
                    turnover, daysOfInventory);
        }
    }
}
