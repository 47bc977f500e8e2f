package dev.levain.ingest.support;

import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** What is on {@code levain.raw.crm}, read the way the normalizer would read it. */
public final class RawCrmTopic {

    private RawCrmTopic() {
    }

    public static List<ConsumerRecord<String, byte[]>> all() {
        return KafkaTestClient.shared().readAll(Topics.RAW_CRM);
    }

    /** The records of contact {@code id}, oldest first. */
    public static List<ConsumerRecord<String, byte[]>> recordsOf(String id) {
        return all().stream().filter(r -> id.equals(r.key())).toList();
    }

    /** The records of contact {@code id} whose payload is exactly {@code json}. */
    public static List<ConsumerRecord<String, byte[]>> recordsWithBytes(String id, String json) {
        return recordsOf(id).stream().filter(r -> json.equals(text(r))).toList();
    }

    public static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
