package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.devstack.simulator.crm.CrmSimulator;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrmCustomerMapperTest {

    private final CrmCustomerMapper mapper = new CrmCustomerMapper(MappingFixtures.panPan());

    private CanonicalCustomer map(CrmCustomerMapper mapper, String json) {
        return (CanonicalCustomer) mapper.map(envelope(EventTypes.RAW_CRM_CUSTOMER, json)).get(0);
    }

    private CanonicalCustomer map(String json) {
        return map(mapper, json);
    }

    @Test
    void contactAsTheCrmServesItBecomesACustomer() {
        PanPanCatalog.Customer customer = PanPanCatalog.CUSTOMERS.get(6);
        Instant updatedAt = Instant.parse("2026-11-27T06:00:00Z");
        CrmSimulator.Contact contact = new CrmSimulator.Contact(customer.crmId(), customer.givenName(),
                customer.familyName(), customer.email(), customer.phone(), true,
                Instant.parse("2026-05-11T06:00:00Z"), updatedAt);

        assertThat(map(contact.toJson())).isEqualTo(new CanonicalCustomer(Sources.CRM, "CRM-0007", "client6@panpan.example",
                customer.phone(), "Chloé Martin", true, updatedAt.toEpochMilli(), MappingFixtures.RECEIVED_AT));
        assertThat(customer.phone()).startsWith("+336");
    }

    @Test
    void valuesAreStandardized() {
        CanonicalCustomer customer = map("""
                {"id": 1042, "given_name": "  Jean-Pierre ", "family_name": "de  La\\tFontaine",
                 "email": "  JP.Fontaine@Example.FR ", "phone": "01 42 68 53 00", "marketing_opt_in": false,
                 "created_at": "2020-01-01T00:00:00Z", "updated_at": "2026-11-27T08:15:00+01:00"}
                """);

        assertThat(customer.sourceId()).isEqualTo("1042");
        assertThat(customer.name()).isEqualTo("Jean-Pierre de La Fontaine");
        assertThat(customer.email()).isEqualTo("jp.fontaine@example.fr");
        assertThat(customer.phone()).isEqualTo("+33142685300");
        assertThat(customer.marketingOptIn()).isFalse();
        assertThat(customer.version()).isEqualTo(Instant.parse("2026-11-27T07:15:00Z").toEpochMilli());
    }

    @ParameterizedTest(name = "{0} read in {1} is {2}")
    @CsvSource({
            "06 12 34 56 78, FR, +33612345678",
            "+33 (0)6 12 34 56 78, FR, +33612345678",
            "0033 6 12 34 56 78, FR, +33612345678",
            "+32 470 12 34 56, FR, +32470123456",
            "0470 12 34 56, BE, +32470123456",
            "+41 44 668 18 00, FR, +41446681800",
            "044 668 18 00, CH, +41446681800",
            "+49 30 901820, FR, +4930901820",
            "030 901820, DE, +4930901820",
            "+44 20 7946 0958, FR, +442079460958",
            "020 7946 0958, GB, +442079460958",
            "(212) 555-0123, US, +12125550123",
            "+1 212-555-0123, FR, +12125550123"})
    void phonesBecomeE164(String phone, String region, String e164) {
        CrmCustomerMapper mapper = new CrmCustomerMapper(MappingFixtures.withPhoneRegion(region));

        assertThat(map(mapper, "{\"id\": \"C1\", \"phone\": \"" + phone + "\", \"updated_at\": \"2026-11-27T08:00:00Z\"}")
                .phone()).isEqualTo(e164);
    }

    @ParameterizedTest
    @CsvSource({"12", "not a phone", "+33 1 23", "06 12 34 56 78 90 12"})
    void phoneThatIsNoNumberIsDroppedAndTheContactKept(String phone) {
        CanonicalCustomer customer = map("{\"id\": \"C1\", \"email\": \"a@b.fr\", \"phone\": \"" + phone
                + "\", \"updated_at\": \"2026-11-27T08:00:00Z\"}");

        assertThat(customer.phone()).isNull();
        assertThat(customer.email()).isEqualTo("a@b.fr");
    }

    @Test
    void contactWithNothingButItsIdentityIsKept() {
        assertThat(map("{\"id\": \"C2\", \"updated_at\": \"2026-11-27T08:00:00Z\"}")).isEqualTo(new CanonicalCustomer(
                Sources.CRM, "C2", null, null, null, null, Instant.parse("2026-11-27T08:00:00Z").toEpochMilli(),
                MappingFixtures.RECEIVED_AT));
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> map("{\"id\": \"C1\"}"))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("updated_at is required");
        assertThatThrownBy(() -> map("{\"updated_at\": \"2026-11-27T08:00:00Z\"}")).hasMessage("id is required");
        assertThatThrownBy(() -> map("{\"id\": \"C1\", \"updated_at\": \"2026-11-27 08:00\"}"))
                .hasMessage("updated_at is not an ISO-8601 date-time with an offset: 2026-11-27 08:00");
        assertThatThrownBy(() -> map("{\"id\": \"C1\", \"email\": \"jean@\", \"updated_at\": \"2026-11-27T08:00:00Z\"}"))
                .hasMessage("email is not an e-mail address: jean@");
        assertThatThrownBy(() -> map("{\"id\": \"C1\", \"marketing_opt_in\": \"yes\", \"updated_at\": \"2026-11-27T08:00:00Z\"}"))
                .hasMessage("marketing_opt_in must be true or false, not \"yes\"");
        assertThatThrownBy(() -> map("{\"id\": \"C1\", \"given_name\": {\"first\": \"A\"}, \"updated_at\": \"2026-11-27T08:00:00Z\"}"))
                .hasMessage("given_name must be a string");
        assertThatThrownBy(() -> map("{\"id\": "))
                .hasMessageStartingWith("payload is not a CRM contact: ");
    }

    @Test
    void emailsAreCheckedInOnePassAsThePatternDidWithoutItsQuadraticBacktracking() {
        assertThat(List.of("a@b.fr", "jp.fontaine@example.fr", "a@b..c", "a.b@c.d.e"))
                .allMatch(Fields::isEmail);
        assertThat(List.of("a@b", "@b.fr", "a@.fr", "a@b.", "a@b@c.fr", "a b@c.fr", "a@b.f r", "a@\tb.fr"))
                .noneMatch(Fields::isEmail);
        // A long dotted domain failing at its very end: the former pattern took seconds on this, growing quadratically.
        String adversarial = "x@" + "a.".repeat(100_000) + " ";
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> assertThat(Fields.isEmail(adversarial)).isFalse());
        assertThatThrownBy(() -> map("{\"id\": \"C1\", \"email\": \"" + adversarial.trim() + "@\"}"))
                .hasMessageStartingWith("email is not an e-mail address: x@a.a.").hasMessageEndingWith("(200003 characters)");
    }
}
