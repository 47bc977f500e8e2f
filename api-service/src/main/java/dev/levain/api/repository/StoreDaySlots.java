package dev.levain.api.repository;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Each store's business days cut into quarter hours of UTC ("slots": seconds since the epoch / 900), as
 * {@link ZoneDays} makes other time zones' days of them: what the day's sales and refunds contribute per slot and
 * channel ({@code core.quarter_hour_store_sales}, at the version {@code core.store_day_version} gives the day), and
 * the customer of each of the day's completed sales of a known customer, by slot ({@code core.sale}'s instants), with
 * the slots of the first purchases made there ({@code core.customer}), at {@code core.customer_day_version}'s and
 * {@code core.daily_new_customers}' versions. The versions are raised by the normalizer's triggers in the
 * transaction of every change of the day.
 */
final class StoreDaySlots {

    /** Seconds of a slot. */
    static final int SLOT_SECONDS = 900;

    /** The amounts of a sales entry, in cents, in this order. */
    static final int GROSS = 0, DISCOUNT = 1, REFUNDS = 2, NET = 3, TAX = 4, COGS = 5, AMOUNTS = 6;

    /**
     * What one store's business day contributes per slot and channel, at {@code version}: entry {@code i} is slot
     * {@code slots[i]} in channel {@code channels[i]}, its amounts {@code amounts[i * AMOUNTS + GROSS…COGS]} in cents,
     * its completed sales {@code transactions[i]}, of which {@code anonymous[i]} without a customer. Shared: read it,
     * never change it.
     */
    record Sales(long version, int[] slots, String[] channels, long[] amounts, int[] transactions,
                        int[] anonymous) {

        int size() {
            return slots.length;
        }
    }

    /**
     * One store's business day's completed sales of known customers, at {@code version}: slot {@code slots[g]} holds
     * the customers {@code ids[ends[g - 1]]} up to {@code ids[ends[g]]} (exclusive; from 0 for the first), one id per
     * sale, so a customer with two sales there is there twice; {@code firsts}: the slot of each first purchase made
     * there. Shared: read it, never change it.
     */
    record Customers(long version, int[] slots, int[] ends, int[] ids, int[] firsts) {
    }

    private static final String SALES_VERSIONS = """
            SELECT store_id, business_date, version FROM core.store_day_version
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // Parameters: the stale days' stores and dates, side by side. One row per day, its slots as parallel arrays.
    private static final String SALES = """
            SELECT v.store_id, v.business_date, v.version, q.slots, q.channels, q.gross, q.discount, q.refunds, q.net,
                   q.tax, q.cogs, q.transactions, q.anonymous
            FROM unnest(?::bigint[], ?::date[]) AS k(store_id, business_date)
            JOIN core.store_day_version v USING (store_id, business_date)
            CROSS JOIN LATERAL (
                SELECT array_agg((extract(epoch FROM x.quarter_hour) / 900)::int ORDER BY x.quarter_hour, x.channel)
                           AS slots,
                       array_agg(x.channel ORDER BY x.quarter_hour, x.channel) AS channels,
                       array_agg(x.gross ORDER BY x.quarter_hour, x.channel) AS gross,
                       array_agg(x.discount ORDER BY x.quarter_hour, x.channel) AS discount,
                       array_agg(x.refunds ORDER BY x.quarter_hour, x.channel) AS refunds,
                       array_agg(x.net ORDER BY x.quarter_hour, x.channel) AS net,
                       array_agg(x.tax ORDER BY x.quarter_hour, x.channel) AS tax,
                       array_agg(x.cogs ORDER BY x.quarter_hour, x.channel) AS cogs,
                       array_agg(x.transactions ORDER BY x.quarter_hour, x.channel) AS transactions,
                       array_agg(x.anonymous_transactions ORDER BY x.quarter_hour, x.channel) AS anonymous
                FROM core.quarter_hour_store_sales x
                WHERE x.store_id = k.store_id AND x.business_date = k.business_date
            ) q""";
    // A customer day's version: its customers' (high 32 bits) and its first purchases' (low 32 bits), both only
    // ever raised. Parameters: stores, from, to.
    private static final String CUSTOMER_VERSIONS = """
            WITH k AS (SELECT ?::bigint[] AS stores, ?::date AS first_day, ?::date AS last_day)
            SELECT store_id, business_date, (coalesce(v.version, 0) << 32) | coalesce(n.version, 0)
            FROM (SELECT v.store_id, v.business_date, v.version FROM core.customer_day_version v, k
                  WHERE v.store_id = ANY (k.stores) AND v.business_date BETWEEN k.first_day AND k.last_day) v
            FULL JOIN (SELECT n.store_id, n.business_date, n.version FROM core.daily_new_customers n, k
                       WHERE n.store_id = ANY (k.stores) AND n.business_date BETWEEN k.first_day AND k.last_day) n
                USING (store_id, business_date)""";
    // Parameters: the stale days' stores and dates, side by side. One row per day: its sales' slots and customers,
    // and the slots of the first purchases made there (DESIGN.md §4's acquisition: customers not merged away).
    private static final String CUSTOMERS = """
            SELECT k.store_id, k.business_date, (coalesce(v.version, 0) << 32) | coalesce(n.version, 0), c.slots, c.ids,
                   f.firsts
            FROM unnest(?::bigint[], ?::date[]) AS k(store_id, business_date)
            LEFT JOIN core.customer_day_version v USING (store_id, business_date)
            LEFT JOIN core.daily_new_customers n USING (store_id, business_date)
            CROSS JOIN LATERAL (
                SELECT array_agg(floor(extract(epoch FROM x.occurred_at) / 900)::int ORDER BY x.occurred_at) AS slots,
                       array_agg(x.customer_id ORDER BY x.occurred_at) AS ids
                FROM core.sale_customer_contribution x
                WHERE x.store_id = k.store_id AND x.business_date = k.business_date
            ) c
            CROSS JOIN LATERAL (
                SELECT array_agg(floor(extract(epoch FROM x.first_sale_at) / 900)::int) AS firsts
                FROM core.customer x
                WHERE x.first_business_date = k.business_date AND x.first_store_id = k.store_id
                  AND x.merged_into IS NULL
            ) f""";

    private StoreDaySlots() {
    }

    /** The days' sales by slot, kept while their version holds ({@code capacity} days at most). */
    static VersionedDays<Sales> sales(int capacity) {
        return new VersionedDays<>(SALES_VERSIONS, SALES, capacity, Sales::version, StoreDaySlots::sales,
                day -> day.size() > 0);
    }

    /** The days' customers by slot, kept while their version holds ({@code capacity} days at most). */
    static VersionedDays<Customers> customers(int capacity) {
        return new VersionedDays<>(CUSTOMER_VERSIONS, CUSTOMERS, capacity, Customers::version,
                StoreDaySlots::customers, day -> day.ids().length > 0 || day.firsts().length > 0);
    }

    private static Sales sales(ResultSet row) throws SQLException {
        int[] slots = ints(row.getArray(4));
        Object[] channels = objects(row.getArray(5));
        String[] channel = new String[slots.length];
        long[] amounts = new long[slots.length * AMOUNTS];
        for (int i = 0; i < slots.length; i++) {
            channel[i] = ((String) channels[i]).intern();
        }
        for (int amount = 0; amount < AMOUNTS; amount++) {
            Object[] values = objects(row.getArray(6 + amount));
            for (int i = 0; i < slots.length; i++) {
                amounts[i * AMOUNTS + amount] = cents((BigDecimal) values[i]);
            }
        }
        return new Sales(row.getLong(3), slots, channel, amounts, ints(row.getArray(12)), ints(row.getArray(13)));
    }

    private static Customers customers(ResultSet row) throws SQLException {
        int[] slotOfSale = ints(row.getArray(4));
        Object[] customerIds = objects(row.getArray(5));
        int[] ids = new int[customerIds.length];
        int groups = 0;
        for (int i = 0; i < slotOfSale.length; i++) {
            ids[i] = CustomerDays.bit((Long) customerIds[i]);
            if (i == 0 || slotOfSale[i] != slotOfSale[i - 1]) {
                groups++;
            }
        }
        int[] slots = new int[groups];
        int[] ends = new int[groups];
        int group = -1;
        for (int i = 0; i < slotOfSale.length; i++) {
            if (i == 0 || slotOfSale[i] != slotOfSale[i - 1]) {
                slots[++group] = slotOfSale[i];
            }
            ends[group] = i + 1;
        }
        return new Customers(row.getLong(3), slots, ends, ids, ints(row.getArray(6)));
    }

    /** An amount of two decimals (every amount of the model) in cents; more decimals would be a model change. */
    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }

    private static Object[] objects(Array array) throws SQLException {
        return array == null ? new Object[0] : (Object[]) array.getArray();
    }

    private static int[] ints(Array array) throws SQLException {
        Object[] values = objects(array);
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = ((Number) values[i]).intValue();
        }
        return ints;
    }
}
