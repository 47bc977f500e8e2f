package dev.levain.normalize.mapping;

import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RawEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a Square webhook notification adds to the model, by the type ingest routed it on:
 * <ul>
 * <li>{@code order.*}, {@code payment.*}, {@code refund.*} (levain.raw.pos): nothing. They are thin, and
 * ingest publishes the full order beside each one, which {@link SquareOrderMapper} maps.</li>
 * <li>{@code customer.created}, {@code customer.updated} (levain.raw.crm): the customer in
 * {@code data.object.customer}, source pos-square, versioned by its {@code updated_at}; marketing consent
 * from {@code preferences.email_unsubscribed} when given. {@code customer.deleted} gives nothing: a
 * customer's sales stay theirs.</li>
 * <li>{@code inventory.count.updated} (levain.raw.inventory): one stock level per count of
 * {@code data.object.inventory_counts} in state IN_STOCK (the other states count stock that is not
 * on the shelf: sold, waste, in transit).</li>
 * </ul>
 * Any other type (ingest publishes none) gives nothing; it is still landed.
 */
@ApplicationScoped
public class SquareNotificationMapper implements RawEventMapper {

    private final NormalizeConfig config;
    private final StoreDirectory stores;

    public SquareNotificationMapper(NormalizeConfig config, StoreDirectory stores) {
        this.config = config;
        this.stores = stores;
    }

    @Override
    public Set<String> types() {
        return Set.of(EventTypes.RAW_POS_SQUARE_NOTIFICATION);
    }

    @Override
    public List<CanonicalRecord> map(RawEnvelope raw) {
        JsonFields notification = JsonFields.parse(raw.payload(), "a Square notification");
        String type = notification.requiredText("type").trim();
        if (type.equals("customer.created") || type.equals("customer.updated")) {
            return List.of(customer(raw, notification.requiredObject("data").requiredObject("object")
                    .requiredObject("customer")));
        }
        if (type.equals("inventory.count.updated")) {
            return levels(raw, notification.requiredObject("data").requiredObject("object"));
        }
        return List.of();
    }

    private CanonicalCustomer customer(RawEnvelope raw, JsonFields customer) {
        JsonFields preferences = customer.object("preferences");
        Boolean unsubscribed = preferences == null ? null : preferences.bool("email_unsubscribed");
        return new CanonicalCustomer(Sources.POS_SQUARE, customer.requiredText("id").trim(),
                Fields.email(customer.text("email_address"), customer.path("email_address")),
                Phones.e164(customer.text("phone_number"), config.defaultPhoneRegion()),
                Fields.name(customer.text("given_name"), customer.text("family_name")),
                unsubscribed == null ? null : !unsubscribed,
                Fields.version(customer.requiredTime("updated_at")),
                raw.receivedAt());
    }

    private List<CanonicalRecord> levels(RawEnvelope raw, JsonFields object) {
        List<CanonicalRecord> levels = new ArrayList<>();
        for (JsonFields count : object.array("inventory_counts")) {
            if (!"IN_STOCK".equalsIgnoreCase(count.requiredText("state").trim())) {
                continue;
            }
            levels.add(new CanonicalStockLevel(Sources.POS_SQUARE,
                    count.requiredText("catalog_object_id").trim().toUpperCase(Locale.ROOT),
                    stores.storeCode(count.requiredText("location_id")),
                    Money.requireCount(count.requiredDecimal("quantity"), count.path("quantity")),
                    count.requiredTime("calculated_at"),
                    raw.receivedAt()));
        }
        return List.copyOf(levels);
    }
}
