package dev.levain.api.service;

import dev.levain.api.repository.ProductKpiRepository;
import dev.levain.api.repository.ProductKpiRepository.Ranking;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Product KPIs: the best sellers of a period, from the normalizer's product rollup. */
@ApplicationScoped
public class ProductKpiService {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;

    private final ProductKpiRepository repository;
    private final FreshnessService freshness;

    public ProductKpiService(ProductKpiRepository repository, FreshnessService freshness) {
        this.repository = repository;
        this.freshness = freshness;
    }

    /** The {@code limit} (default 10, at most 100) best sellers by {@code by} (net, the default, or qty). */
    public TopProducts top(KpiQuery query, String by, String limit, Caller caller) {
        Ranking ranking = ranking(by);
        int count = limit(limit);
        String currency = SalesKpiService.currency(query.stores());
        boolean costs = caller.seesCosts();
        List<ProductSales> rows = repository.top(query, ranking, count);
        BigDecimal allNet = rows.isEmpty() ? BigDecimal.ZERO : rows.get(0).allNet();
        List<TopProducts.TopProduct> products = new ArrayList<>();
        for (ProductSales row : rows) {
            products.add(new TopProducts.TopProduct(products.size() + 1, row.sku(), row.name(), row.category(),
                    row.qty(), row.returnedQty(), money(row.gross()), money(row.refunds()), money(row.net()), row.lines(),
                    share(row.net(), allNet),
                    costs ? money(row.cogs()) : null, costs ? money(row.net().subtract(row.cogs())) : null));
        }
        return new TopProducts(query.period().from(), query.period().to(), ranking.name().toLowerCase(Locale.ROOT),
                count, currency, query.stores().stream().map(Store::code).toList(), money(allNet), products,
                freshness.current(caller));
    }

    private static Ranking ranking(String by) {
        if (by == null || by.isBlank()) {
            return Ranking.NET;
        }
        try {
            return Ranking.valueOf(by.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("by", "must be net or qty, not " + by);
        }
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Answered below, like a number out of range.
        }
        throw new InvalidQueryException("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", not " + limit);
    }

    /** part / whole to 4 places; null when whole is 0. */
    private static BigDecimal share(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? null : part.divide(whole, 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }
}
