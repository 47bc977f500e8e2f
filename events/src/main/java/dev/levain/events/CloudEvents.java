package dev.levain.events;

/**
 * CloudEvents 1.0 attribute names and Levain's extensions, as carried in Kafka binary mode
 * (each attribute is a {@code ce_<name>} header, the body is the data).
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    public static final String HEADER_PREFIX = "ce_";

    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String TYPE = "type";
    public static final String TIME = "time";

    /** When Levain received the event (ISO-8601 instant). */
    public static final String RECEIVED_AT = "receivedat";
    /** Unique id of one ingest request, to trace one delivery through the logs. */
    public static final String INGEST_ID = "ingestid";
    /** SHA-256 of the payload bytes, hex. */
    public static final String CONTENT_HASH = "contenthash";

    /** Headers of a dead-lettered record: why, and where the original record was. */
    public static final String DLQ_REASON_HEADER = "dead-letter-reason";
    public static final String DLQ_TOPIC_HEADER = "dead-letter-topic";
    public static final String DLQ_PARTITION_HEADER = "dead-letter-partition";
    public static final String DLQ_OFFSET_HEADER = "dead-letter-offset";

    private CloudEvents() {
    }

    /** The Kafka header that carries a CloudEvents attribute. */
    public static String header(String attribute) {
        return HEADER_PREFIX + attribute;
    }
}
