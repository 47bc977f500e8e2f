package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RawEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Where a CRM contact ({@code id}, {@code updated_at}, names, {@code email}, {@code phone},
 * {@code marketing_opt_in}) becomes a canonical customer. The version is {@code updated_at} in epoch
 * milliseconds. A malformed e-mail rejects the contact (it is an identity key: a wrong one would merge
 * strangers), while a phone that is no valid number is dropped to null and the contact kept (it is only
 * contact data, and ingest lets pulled contacts through unchecked).
 */
@ApplicationScoped
public class CrmCustomerMapper implements RawEventMapper {

    private final NormalizeConfig config;

    public CrmCustomerMapper(NormalizeConfig config) {
        this.config = config;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_CRM_CUSTOMER);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        JsonFields contact = JsonFields.parse(raw.payload(), "a CRM contact");
        return List.of(new CanonicalCustomer(Sources.CRM, contact.requiredText("id").trim(),
                Fields.email(contact.text("email"), "email"),
                Phones.e164(contact.text("phone"), config.defaultPhoneRegion()),
                Fields.name(contact.text("given_name"), contact.text("family_name")),
                contact.bool("marketing_opt_in"),
                Fields.version(contact.requiredTime("updated_at")),
                raw.receivedAt()));
    }
}
