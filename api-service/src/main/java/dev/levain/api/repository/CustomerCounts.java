package dev.levain.api.repository;

import dev.levain.api.service.CustomerCount;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Customer counts grouped per store and bucket, per bucket, per store and in total: one shape for every count. */
final class CustomerCounts {

    private CustomerCounts() {
    }

    /** The grouping sets of a count, with its buckets or only per store and in total. */
    static String groupingSets(boolean buckets) {
        return " GROUP BY GROUPING SETS (" + (buckets ? "(store_id, bucket), (bucket), (store_id), ()" : "(store_id), ()")
                + ")";
    }

    /** The bucket column of a count's SELECT: the bucket, or none. */
    static String bucketColumn(boolean buckets) {
        return buckets ? "bucket" : "NULL::date";
    }

    /** Reads rows of (store id or null, bucket or null, count). */
    static List<CustomerCount> read(PreparedStatement statement) throws SQLException {
        List<CustomerCount> counts = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                counts.add(new CustomerCount(result.getObject(1, Long.class), result.getObject(2, LocalDate.class),
                        result.getLong(3)));
            }
        }
        return counts;
    }
}
