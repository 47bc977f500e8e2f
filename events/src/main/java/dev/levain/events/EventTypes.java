package dev.levain.events;

/** CloudEvents {@code type} values. */
public final class EventTypes {

    /** One sale in Levain's native JSON. */
    public static final String RAW_POS_SALE = "levain.raw.pos.sale";
    /** One sale from a CSV export: the header line and the sale's rows, as uploaded. */
    public static final String RAW_POS_CSV_SALE = "levain.raw.pos.csv-sale";
    /** A Square webhook notification as received. */
    public static final String RAW_POS_SQUARE_NOTIFICATION = "levain.raw.pos.square.notification";
    /** A full Square order as returned by its Orders API. */
    public static final String RAW_POS_SQUARE_ORDER = "levain.raw.pos.square.order";
    /** One CRM contact (pulled, pushed or imported). */
    public static final String RAW_CRM_CUSTOMER = "levain.raw.crm.customer";
    /** One contact from a CSV import: the header line and the contact's row, as uploaded. */
    public static final String RAW_CRM_CSV_CONTACT = "levain.raw.crm.csv-contact";
    /** One stock level of a product at a location. */
    public static final String RAW_INVENTORY_LEVEL = "levain.raw.inventory.level";
    /** One catalog product: name, unit cost, reorder point. */
    public static final String RAW_INVENTORY_PRODUCT = "levain.raw.inventory.product";
    public static final String SALE_RECORDED = "levain.sales.recorded";
    public static final String INVENTORY_CHANGED = "levain.inventory.changed";

    private EventTypes() {
    }
}
