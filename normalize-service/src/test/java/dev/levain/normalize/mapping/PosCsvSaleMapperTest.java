package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosCsvSaleMapperTest {

    private static final String HEADER = "store_code,sale_id,occurred_at,sku,quantity,unit_price,discount,customer_email,"
            + "currency,name,status";

    private final PosCsvSaleMapper mapper = new PosCsvSaleMapper(MappingFixtures.stores(), MappingFixtures.defaults());

    private CanonicalSale map(String payload) {
        List<CanonicalRecord> records = mapper.map(envelope(EventTypes.RAW_POS_CSV_SALE, payload));
        assertThat(records).hasSize(1);
        return (CanonicalSale) records.get(0);
    }

    @Test
    void saleOfSeveralRowsBecomesOneSaleWithExactTotals() {
        CanonicalSale sale = map(HEADER + "\n"
                + "PAR-BASTILLE,T-1001,2026-11-27T08:15:00+01:00,baguette,2,1.30,0.10,Client7@PanPan.example,EUR,"
                + "Baguette tradition,completed\n"
                + "PAR-BASTILLE,T-1001,2026-11-27T08:15:00+01:00,CROISSANT,3,1.40,,Client7@PanPan.example,EUR,"
                + "Croissant au beurre,completed");

        assertThat(sale.source()).isEqualTo(Sources.POS_CSV);
        assertThat(sale.sourceId()).isEqualTo("PAR-BASTILLE/T-1001");
        assertThat(sale.storeCode()).isEqualTo("PAR-BASTILLE");
        assertThat(sale.occurredAt()).isEqualTo(OffsetDateTime.parse("2026-11-27T08:15:00+01:00"));
        assertThat(sale.status()).isEqualTo(CanonicalSale.COMPLETED);
        assertThat(sale.version()).isZero();
        assertThat(sale.receivedAt()).isEqualTo(MappingFixtures.RECEIVED_AT);
        assertThat(sale.currency()).isEqualTo("EUR");
        assertThat(sale.channel()).isEqualTo(CanonicalSale.IN_STORE);
        assertThat(sale.customer()).isEqualTo(new CustomerRef(Sources.POS_CSV, null, "client7@panpan.example", null, null));
        assertThat(sale.lines()).containsExactly(
                new CanonicalSaleLine(1, "BAGUETTE", "Baguette tradition", new BigDecimal("2"), new BigDecimal("1.30"),
                        new BigDecimal("0.10"), new BigDecimal("2.50")),
                new CanonicalSaleLine(2, "CROISSANT", "Croissant au beurre", new BigDecimal("3"), new BigDecimal("1.40"),
                        new BigDecimal("0.00"), new BigDecimal("4.20")));
        assertThat(sale.gross()).isEqualTo(new BigDecimal("6.80"));
        assertThat(sale.discount()).isEqualTo(new BigDecimal("0.10"));
        assertThat(sale.tax()).isEqualTo(new BigDecimal("0.00"));
        assertThat(sale.net()).isEqualTo(new BigDecimal("6.70"));
        assertThat(sale.lines()).isUnmodifiable();
    }

    @Test
    void spreadsheetExportWithSemicolonsDecimalCommasBomCrlfAndQuotedLineBreaksIsRead() {
        String payload = "\uFEFFStore Code;Sale ID;Occurred At;SKU;Name;Quantity;Unit Price;Discount;Customer Email\r\n"
                + "PAR-MONTMARTRE;T-77;27/11/2026 08:15;eclair;\"Éclair\r\nau  café\";2;3,60;0,20;\r\n"
                + "PAR-MONTMARTRE;T-77;27/11/2026 08:15;flan;\"Flan \"\"maison\"\"\";1,5;3,20;;\r\n";

        CanonicalSale sale = map(payload);

        // No offset: read in the store's zone; Montmartre names none, so the default (Europe/Paris, UTC+1 in November).
        assertThat(sale.occurredAt()).isEqualTo(OffsetDateTime.parse("2026-11-27T08:15:00+01:00"));
        assertThat(sale.customer()).isNull();
        assertThat(sale.lines()).containsExactly(
                new CanonicalSaleLine(1, "ECLAIR", "Éclair au café", new BigDecimal("2"), new BigDecimal("3.60"),
                        new BigDecimal("0.20"), new BigDecimal("7.00")),
                new CanonicalSaleLine(2, "FLAN", "Flan \"maison\"", new BigDecimal("1.5"), new BigDecimal("3.20"),
                        new BigDecimal("0.00"), new BigDecimal("4.80")));
        assertThat(sale.gross()).isEqualTo(new BigDecimal("12.00"));
        assertThat(sale.net()).isEqualTo(new BigDecimal("11.80"));
    }

    @Test
    void localTimeIsReadInTheStoresOwnZoneAndItsCurrencyIsTheDefault() {
        CanonicalSale sale = map("store_code,sale_id,occurred_at,sku,quantity,unit_price\n"
                + "lnysoho,R-5,2026-11-27 08:15,BAGEL,1,3.25");

        // LNYSOHO is an alias of NYC-SOHO, configured in America/New_York (UTC-5 in November) and USD.
        assertThat(sale.storeCode()).isEqualTo("NYC-SOHO");
        assertThat(sale.sourceId()).isEqualTo("NYC-SOHO/R-5");
        assertThat(sale.occurredAt()).isEqualTo(OffsetDateTime.parse("2026-11-27T08:15:00-05:00"));
        assertThat(sale.currency()).isEqualTo("USD");
    }

    @Test
    void voidedSaleKeepsItsStatus() {
        CanonicalSale sale = map(HEADER + "\nPAR-BASTILLE,T-9,2026-11-27T09:00:00Z,FLAN,1,3.20,,,EUR,Flan,VOIDED");

        assertThat(sale.status()).isEqualTo(CanonicalSale.VOIDED);
    }

    @Test
    void quantityThatIsNoNumberIsRejectedNamingItsRow() {
        assertThatThrownBy(() -> map(HEADER + "\n"
                + "PAR-BASTILLE,T-1,2026-11-27T08:15:00+01:00,A,1,1.00,,,EUR,A,completed\n"
                + "PAR-BASTILLE,T-1,2026-11-27T08:15:00+01:00,B,x,1.00,,,EUR,B,completed"))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("rows[1].quantity is not a number: x");
    }

    @Test
    void missingColumnIsRejected() {
        assertThatThrownBy(() -> map("store_code,sale_id,occurred_at,sku,quantity\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1"))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("header misses the column unit_price");
    }

    @Test
    void rowsOfAnotherSaleAreRejected() {
        assertThatThrownBy(() -> map(HEADER + "\n"
                + "PAR-BASTILLE,T-1,2026-11-27T08:15:00+01:00,A,1,1.00,,,EUR,A,completed\n"
                + "PAR-BASTILLE,T-2,2026-11-27T08:15:00+01:00,B,1,1.00,,,EUR,B,completed"))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("rows[1].sale_id differs from rows[0] of the same sale");
    }

    @Test
    void blankOrUnreadableValuesAreRejectedByField() {
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,,A,1,1.00,,,EUR,A,completed"))
                .hasMessage("rows[0].occurred_at is required");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,tomorrow,A,1,1.00,,,EUR,A,completed"))
                .hasMessageStartingWith("rows[0].occurred_at is not a date-time");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,0,1.00,,,EUR,A,completed"))
                .hasMessage("rows[0].quantity must be positive, below 10^11, with at most 3 decimals");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.001,,,EUR,A,completed"))
                .hasMessage("rows[0].unit_price must be a non-negative amount below 10^12 with at most 2 decimals");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.00,2.00,,EUR,A,completed"))
                .hasMessage("rows[0].discount exceeds the line amount");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.00,,not-an-email,EUR,A,completed"))
                .hasMessage("rows[0].customer_email is not an e-mail address: not-an-email");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.00,,,EURO,A,completed"))
                .hasMessage("rows[0].currency must be an ISO-4217 code, not EURO");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.00,,,EUR,A,refunded"))
                .hasMessage("rows[0].status must be one of [completed, voided], not refunded");
        assertThatThrownBy(() -> map(HEADER + "\n"))
                .hasMessage("payload has a header but no rows");
        assertThatThrownBy(() -> map(HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.00,,,EUR,\"A,completed"))
                .hasMessage("payload has a quote that is never closed");
    }

    @Test
    void payloadThatIsNotUtf8IsRejected() {
        byte[] latin1 = (HEADER + "\nPAR-BASTILLE,T-1,2026-11-27T08:15Z,A,1,1.00,,,EUR,Éclair,completed")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> mapper.map(envelope(EventTypes.RAW_POS_CSV_SALE, latin1)))
                .hasMessage("payload is not valid UTF-8");
    }
}
