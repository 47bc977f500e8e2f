package dev.levain.normalize.service;

import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.mapping.CanonicalSale;
import dev.levain.events.EventTypes;
import dev.levain.normalize.mapping.NativePosSaleMapper;
import dev.levain.normalize.repository.CustomerRepository;
import dev.levain.normalize.repository.ProductRepository;
import dev.levain.normalize.repository.RawEventRepository;
import dev.levain.normalize.repository.RejectedEventRepository;
import dev.levain.normalize.repository.SaleRepository;
import dev.levain.normalize.repository.StoreRepository;
import dev.levain.normalize.repository.StoreRepository.StoreRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/** Turns one raw POS event into rows of the relational model, in one transaction. */
@ApplicationScoped
public class SaleNormalizer {

    private final NativePosSaleMapper mapper;
    private final RawEventRepository rawEvents;
    private final RejectedEventRepository rejectedEvents;
    private final StoreRepository stores;
    private final ProductRepository products;
    private final CustomerRepository customers;
    private final SaleRepository sales;
    private final NormalizeConfig config;

    public SaleNormalizer(NativePosSaleMapper mapper, RawEventRepository rawEvents,
                          RejectedEventRepository rejectedEvents, StoreRepository stores,
                          ProductRepository products, CustomerRepository customers, SaleRepository sales,
                          NormalizeConfig config) {
        this.mapper = mapper;
        this.rawEvents = rawEvents;
        this.rejectedEvents = rejectedEvents;
        this.stores = stores;
        this.products = products;
        this.customers = customers;
        this.sales = sales;
        this.config = config;
    }

    /**
     * Lands the raw event and upserts its sale; returns the sale as stored, which is the stored
     * newer version when this event is a duplicate or out of date.
     *
     * @throws RejectedEventException when the payload cannot become a sale; nothing is written
     */
    @Transactional
    public SaleRecorded normalize(RawEnvelope raw) {
        if (!EventTypes.RAW_POS_SALE.equals(raw.type())) {
            // Ingest accepts more formats than this normalizer maps yet: keep them for a replay later.
            throw new RejectedEventException("No mapping for events of type " + raw.type()
                    + " yet; replay it once the normalizer maps that type");
        }
        CanonicalSale sale = mapper.map(raw.payload(), raw.receivedAt());
        long rawEventId = rawEvents.land(raw);
        StoreRef store = stores.ensure(sale.storeCode(), ZoneId.of(config.defaultStoreTimezone()), config.defaultCurrency());
        LocalDate businessDate = sale.occurredAt().atZoneSameInstant(store.timezone()).toLocalDate();
        Long customerId = sale.customer() == null ? null : customers.ensureByEmail(sale.customer().email(), sale.source());
        Map<String, Long> productIds = products.ensure(sale.lines());
        sales.upsert(sale, store.id(), customerId, businessDate, productIds, rawEventId);
        return sales.findRecorded(sale.source(), sale.sourceId());
    }

    /** Keeps a rejected event and its reason so that it can be replayed after a fix. */
    @Transactional
    public void reject(RawEnvelope raw, String reason) {
        rejectedEvents.record(raw, reason);
    }
}
