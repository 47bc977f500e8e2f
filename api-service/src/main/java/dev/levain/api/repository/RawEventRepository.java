package dev.levain.api.repository;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reads the normalizer's landing zone ({@code core.raw_event}), newest first, paged by id. */
@ApplicationScoped
public class RawEventRepository {

    /** Which raw events to show; null fields do not filter. {@code receivedTo} is excluded. */
    public record Filter(String source, String type, OffsetDateTime receivedFrom, OffsetDateTime receivedTo) {
    }

    /**
     * A landed raw event with its envelope and Kafka coordinates; the payload shown as UTF-8 text, cut to
     * a few kilobytes ({@code payload_truncated}), with its full size.
     */
    public record Raw(long id, String eventId, String source, String type, OffsetDateTime eventTime, String topic,
                      int partition, long offset, String kafkaKey, String contentType, @JsonRawValue String headers,
                      OffsetDateTime receivedAt, OffsetDateTime consumedAt, int payloadBytes, boolean payloadTruncated,
                      String payload) {
    }

    private static final int PAYLOAD_BYTES = 4096;

    private final AgroalDataSource dataSource;

    public RawEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} raw events matching {@code filter} with an id below {@code beforeId}, newest first. */
    public List<Raw> page(Filter filter, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, event_id, source, type, event_time, topic, kafka_partition, kafka_offset, kafka_key,
                       content_type, headers::text, received_at, consumed_at, octet_length(payload),
                       substring(payload FROM 1 FOR ?)
                FROM core.raw_event
                WHERE id < ?""");
        List<Object> parameters = new ArrayList<>(List.of(PAYLOAD_BYTES, beforeId));
        if (filter.source() != null) {
            sql.append(" AND source = ?");
            parameters.add(filter.source());
        }
        if (filter.type() != null) {
            sql.append(" AND type = ?");
            parameters.add(filter.type());
        }
        if (filter.receivedFrom() != null) {
            sql.append(" AND received_at >= ?");
            parameters.add(filter.receivedFrom());
        }
        if (filter.receivedTo() != null) {
            sql.append(" AND received_at < ?");
            parameters.add(filter.receivedTo());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(limit);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setObject(i + 1, parameters.get(i));
            }
            List<Raw> page = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int size = rows.getInt(14);
                    page.add(new Raw(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getObject(5, OffsetDateTime.class), rows.getString(6), rows.getInt(7), rows.getLong(8),
                            rows.getString(9), rows.getString(10), rows.getString(11),
                            rows.getObject(12, OffsetDateTime.class), rows.getObject(13, OffsetDateTime.class),
                            size, size > PAYLOAD_BYTES, text(rows.getBytes(15))));
                }
            }
            return page;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read raw events", e);
        }
    }

    /** The bytes as UTF-8; a character cut by the size limit is dropped, bytes that are not UTF-8 show as U+FFFD. */
    static String text(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        // endOfInput=false leaves an incomplete trailing sequence undecoded instead of replacing it.
        decoder.decode(ByteBuffer.wrap(bytes), out, false);
        return out.flip().toString();
    }
}
