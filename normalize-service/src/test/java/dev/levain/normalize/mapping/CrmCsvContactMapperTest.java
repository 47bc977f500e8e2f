package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrmCsvContactMapperTest {

    private static final String HEADER = "contact_id,email,given_name,family_name,phone,updated_at,marketing_opt_in,store_code";

    private final CrmCsvContactMapper mapper = new CrmCsvContactMapper(MappingFixtures.panPan(), MappingFixtures.stores(),
            MappingFixtures.defaults());

    private CanonicalCustomer map(String payload) {
        return (CanonicalCustomer) mapper.map(envelope(EventTypes.RAW_CRM_CSV_CONTACT, payload)).get(0);
    }

    @Test
    void contactRowBecomesACustomer() {
        CanonicalCustomer customer = map(HEADER + "\n"
                + "CRM-0042,Lea.Petit@PanPan.example,Léa,Petit,06 98 76 54 32,2026-11-27T08:15:00+01:00,oui,PAR-BASTILLE");

        assertThat(customer).isEqualTo(new CanonicalCustomer(Sources.CRM_CSV, "CRM-0042", "lea.petit@panpan.example",
                "+33698765432", "Léa Petit", true, Instant.parse("2026-11-27T07:15:00Z").toEpochMilli(),
                MappingFixtures.RECEIVED_AT));
    }

    @Test
    void contactWithoutIdIsKeyedByItsEmailAsIngestKeysIt() {
        CanonicalCustomer customer = map("email,given_name\n  Hugo.Durand@Example.FR ,Hugo");

        assertThat(customer.sourceId()).isEqualTo("email:hugo.durand@example.fr");
        assertThat(customer.email()).isEqualTo("hugo.durand@example.fr");
        assertThat(customer.name()).isEqualTo("Hugo");
        assertThat(customer.version()).isZero();
        assertThat(customer.phone()).isNull();
        assertThat(customer.marketingOptIn()).isNull();
    }

    @Test
    void spreadsheetExportWithSemicolonsBomCrlfAndLocalTimeInTheStoresZoneIsRead() {
        String payload = "\uFEFFEmail;Contact ID;Given Name;Family Name;Phone;Updated At;Marketing Opt In;Store Code\r\n"
                + "nina@example.com;NY-7;\"Nina\r\nRose\";  O'Brien ;(212) 555-0123;27/11/2026 08:15;NO;LNYSOHO\r\n";

        CanonicalCustomer customer = map(payload);

        assertThat(customer.sourceId()).isEqualTo("NY-7");
        assertThat(customer.name()).isEqualTo("Nina Rose O'Brien");
        // The default region is FR: a US number written without +1 is not one there, so it is dropped.
        assertThat(customer.phone()).isNull();
        assertThat(customer.marketingOptIn()).isFalse();
        // Local time of the row's store, NYC-SOHO in America/New_York (UTC-5 in November).
        assertThat(customer.version()).isEqualTo(Instant.parse("2026-11-27T13:15:00Z").toEpochMilli());
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> map(HEADER + "\nCRM-1,,A,B,,,,"))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("rows[0].email is required");
        assertThatThrownBy(() -> map(HEADER + "\nCRM-1,not-an-email,A,B,,,,"))
                .hasMessage("rows[0].email is not an e-mail address: not-an-email");
        assertThatThrownBy(() -> map(HEADER + "\nCRM-1,a@b.fr,A,B,,yesterday,,"))
                .hasMessageStartingWith("rows[0].updated_at is not a date-time");
        assertThatThrownBy(() -> map(HEADER + "\nCRM-1,a@b.fr,A,B,,,maybe,"))
                .hasMessage("rows[0].marketing_opt_in must be true, false, yes, no, oui, non, 1 or 0, not maybe");
        assertThatThrownBy(() -> map("contact_id,given_name\nCRM-1,A"))
                .hasMessage("header misses the column email");
        assertThatThrownBy(() -> map("email\na@b.fr\nc@d.fr"))
                .hasMessage("payload holds 2 rows; one contact is expected");
    }
}
