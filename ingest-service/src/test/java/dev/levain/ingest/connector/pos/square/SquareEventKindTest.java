package dev.levain.ingest.connector.pos.square;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.events.Topics;
import org.junit.jupiter.api.Test;

class SquareEventKindTest {

    @Test
    void everyTypeLevainUsesIsPublishedOnItsSourcesTopic() {
        assertThat(SquareEventKind.of("payment.updated").topic()).isEqualTo(Topics.RAW_POS);
        assertThat(SquareEventKind.of("customer.created").topic()).isEqualTo(Topics.RAW_CRM);
        assertThat(SquareEventKind.of("inventory.count.updated").topic()).isEqualTo(Topics.RAW_INVENTORY);
        for (String type : new String[] {"order.created", "refund.updated", "customer.updated", "inventory.count.updated"}) {
            assertThat(SquareEventKind.of(type).ignoredReason()).as(type).isEmpty();
        }
    }

    @Test
    void otherTypesAreIgnoredAsUnsupported() {
        assertThat(SquareEventKind.of("catalog.version.updated").ignoredReason()).contains("unsupported-type");
        assertThat(SquareEventKind.of("inventory.count.created").ignoredReason()).contains("unsupported-type");
    }
}
