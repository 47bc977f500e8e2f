package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.simulator.PanPanSales;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativePosSaleMapperTest {

    private final NativePosSaleMapper mapper = new NativePosSaleMapper(MappingFixtures.stores(), MappingFixtures.defaults());

    @Test
    void simulatedTillSalesKeepTheirLinesAndTotals() {
        PanPanSales sales = new PanPanSales(new Random(11));
        for (int i = 0; i < 20; i++) {
            PanPanSales.Sale sold = sales.next(OffsetDateTime.parse("2026-11-27T08:15:00+01:00"), 3, 5);

            List<CanonicalRecord> records = mapper.map(envelope(EventTypes.RAW_POS_SALE, sold.toJson()));

            CanonicalSale sale = (CanonicalSale) records.get(0);
            assertThat(sale.source()).isEqualTo(Sources.POS_NATIVE);
            assertThat(sale.sourceId()).isEqualTo(sold.storeCode() + "/" + sold.saleId());
            assertThat(sale.occurredAt()).isEqualTo(sold.occurredAt());
            assertThat(sale.customer()).isEqualTo(sold.customerEmail() == null ? null
                    : new CustomerRef(Sources.POS_NATIVE, null, sold.customerEmail(), null, null));
            assertThat(sale.lines()).extracting(CanonicalSaleLine::sku)
                    .containsExactlyElementsOf(sold.lines().stream().map(PanPanSales.Line::sku).toList());
            BigDecimal gross = sold.lines().stream()
                    .map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
            assertThat(sale.gross()).isEqualTo(gross);
            assertThat(sale.net()).isEqualTo(gross);
            assertThat(sale.tax()).isEqualTo(new BigDecimal("0.00"));
        }
    }

    @Test
    void badLineIsRejectedNamingIt() {
        String sale = """
                {"store_code": "PAR-BASTILLE", "sale_id": "S-1", "occurred_at": "2026-11-27T08:15:00+01:00",
                 "lines": [{"sku": "A", "quantity": 1, "unit_price": 1.00},
                           {"sku": "B", "quantity": 1, "unit_price": 1.00, "discount": 1.50}]}
                """;

        assertThatThrownBy(() -> mapper.map(envelope(EventTypes.RAW_POS_SALE, sale)))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("lines[1].discount exceeds the line amount");
    }

    @Test
    void saleInAnotherCurrencyThanItsStoresIsRejectedNamingBoth() {
        String sale = """
                {"store_code": "PAR-BASTILLE", "sale_id": "S-1", "occurred_at": "2026-11-27T08:15:00+01:00",
                 "currency": "usd", "lines": [{"sku": "A", "quantity": 1, "unit_price": 1.00}]}
                """;

        assertThatThrownBy(() -> mapper.map(envelope(EventTypes.RAW_POS_SALE, sale)))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("currency is USD but store PAR-BASTILLE sells in EUR: a sale is never added up across currencies");
    }

    @Test
    void saleNamingNoCurrencyIsInItsStoresCurrency() {
        String sale = """
                {"store_code": "NYC-SOHO", "sale_id": "S-1", "occurred_at": "2026-11-27T08:15:00-05:00",
                 "lines": [{"sku": "A", "quantity": 1, "unit_price": 1.00}]}
                """;

        assertThat(((CanonicalSale) mapper.map(envelope(EventTypes.RAW_POS_SALE, sale)).get(0)).currency()).isEqualTo("USD");
    }
}
