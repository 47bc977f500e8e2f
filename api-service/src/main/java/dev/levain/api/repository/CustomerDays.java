package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roaringbitmap.RoaringBitmap;

/**
 * Each store's business days' customers in memory, as compressed bitmaps of customer ids: those with a completed
 * sale that day and those with two or more, and those acquired that day (their first completed purchase, at that
 * store). Read from {@code core.daily_customer_sales} and {@code core.customer}, and kept while
 * {@code core.customer_day_version} and {@code core.daily_new_customers}' versions (raised by the normalizer's own
 * writes, in the same transaction) say they are current, so distinct counts over any range are exact unions and
 * intersections in memory. A replica's copy is only a copy: every read checks the versions of the days it uses, in
 * one snapshot with what it reads again.
 */
@ApplicationScoped
public class CustomerDays {

    /**
     * One store's customers of one business day, at {@code version}: {@code count} of them. Shared between
     * requests: read them (as arguments of a union or an intersection), never change them.
     */
    public record Day(long version, long count, RoaringBitmap customers, RoaringBitmap regulars) {
    }

    /** One store's customers acquired on one business day, at {@code version}. Shared: never change them. */
    public record Acquired(long version, RoaringBitmap customers) {
    }

    /** The days' customers and acquisitions of the same stores and dates, as one snapshot saw them. */
    public record WithAcquired(Map<Long, Map<LocalDate, Day>> days, Map<Long, Map<LocalDate, Acquired>> acquired) {
    }

    /** Customer ids the bitmaps hold: 32 bits, unsigned (ids come from a sequence starting at 1). */
    static final long LARGEST_ID = 0xFFFF_FFFFL;

    private static final String VERSIONS = """
            SELECT store_id, business_date, version FROM core.customer_day_version
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // Parameters: the stale days' stores and dates, side by side.
    private static final String DAYS = """
            SELECT v.store_id, v.business_date, v.version, c.customers, c.regulars
            FROM unnest(?::bigint[], ?::date[]) AS k(store_id, business_date)
            JOIN core.customer_day_version v USING (store_id, business_date)
            CROSS JOIN LATERAL (SELECT array_agg(customer_id) AS customers,
                                       array_agg(customer_id) FILTER (WHERE transactions >= 2) AS regulars
                                FROM core.daily_customer_sales d
                                WHERE d.store_id = k.store_id AND d.business_date = k.business_date
                                  AND d.transactions > 0) c""";
    private static final String ACQUIRED_VERSIONS = """
            SELECT store_id, business_date, version FROM core.daily_new_customers
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // DESIGN.md §4's acquisition: customers not merged away whose first completed purchase is that store's day.
    // Parameters: the stale days' stores and dates, side by side.
    private static final String ACQUIRED = """
            SELECT v.store_id, v.business_date, v.version,
                   array(SELECT c.id FROM core.customer c
                         WHERE c.first_business_date = k.business_date AND c.first_store_id = k.store_id
                           AND c.merged_into IS NULL)
            FROM unnest(?::bigint[], ?::date[]) AS k(store_id, business_date)
            JOIN core.daily_new_customers v USING (store_id, business_date)""";

    private final AgroalDataSource dataSource;
    private final VersionedDays<Day> customerDays;
    private final VersionedDays<Acquired> acquiredDays;
    private final CustomerUnions.Months months;

    public CustomerDays(AgroalDataSource dataSource,
                        @ConfigProperty(name = "levain.api.customer-days.capacity", defaultValue = "20000") int capacity) {
        this.dataSource = dataSource;
        this.customerDays = new VersionedDays<>(VERSIONS, DAYS, capacity, Day::version, rows -> {
            RoaringBitmap customers = bitmap(rows.getArray(4));
            return new Day(rows.getLong(3), customers.getLongCardinality(), customers, bitmap(rows.getArray(5)));
        }, day -> day.count() > 0);
        this.months = new CustomerUnions.Months(Math.max(1, capacity / 30));
        this.acquiredDays = new VersionedDays<>(ACQUIRED_VERSIONS, ACQUIRED, capacity, Acquired::version,
                rows -> new Acquired(rows.getLong(3), bitmap(rows.getArray(4))), day -> !day.customers().isEmpty());
    }

    /**
     * The days of {@code storeIds} from {@code from} to {@code to} (both included) as one snapshot of the database
     * sees them, by store and date; a day without customers is absent.
     */
    public Map<Long, Map<LocalDate, Day>> read(long[] storeIds, LocalDate from, LocalDate to) {
        return inSnapshot("Cannot read the customers of the days",
                connection -> customerDays.read(connection, storeIds, from, to));
    }

    /** {@link #read}, and the customers acquired on the same days, in one snapshot; a day without any is absent. */
    public WithAcquired readWithAcquired(long[] storeIds, LocalDate from, LocalDate to) {
        return inSnapshot("Cannot read the customers of the days", connection -> new WithAcquired(
                customerDays.read(connection, storeIds, from, to), acquiredDays.read(connection, storeIds, from, to)));
    }

    /** The whole months' unions made of these days (see {@link CustomerUnions}). */
    CustomerUnions.Months months() {
        return months;
    }

    private <T> T inSnapshot(String failure, VersionedDays.SqlWork<T> work) {
        return VersionedDays.inSnapshot(dataSource, failure, work);
    }

    private static RoaringBitmap bitmap(Array ids) throws SQLException {
        if (ids == null) {
            return new RoaringBitmap();
        }
        Object[] values = (Object[]) ids.getArray();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = bit((Long) values[i]);
        }
        RoaringBitmap bitmap = RoaringBitmap.bitmapOf(bits);
        bitmap.runOptimize();
        return bitmap;
    }

    /** A customer id as the bit of a bitmap (32 bits, unsigned). */
    static int bit(long id) {
        if (id < 0 || id > LARGEST_ID) {
            throw new IllegalStateException("Customer id " + id + " is past the " + LARGEST_ID
                    + " the in-memory customer counts hold");
        }
        return (int) id;
    }
}
