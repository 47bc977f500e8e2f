package dev.levain.ingest.connector.pos.square;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.events.Topics;
import dev.levain.ingest.config.Source;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SquareEventKindTest {

    @Test
    void customerAndInventoryNotificationsAreIgnoredWhereTheirSourceIsNotServed() {
        Predicate<Source> posOnly = Set.of(Source.POS)::contains;

        assertThat(SquareEventKind.of("customer.created").ignoredBy(posOnly)).contains("source-not-served");
        assertThat(SquareEventKind.of("inventory.count.updated").ignoredBy(posOnly)).contains("source-not-served");
        assertThat(SquareEventKind.of("payment.updated").ignoredBy(posOnly)).isEmpty();
        assertThat(SquareEventKind.of("catalog.version.updated").ignoredBy(posOnly)).contains("unsupported-type");
    }

    @Test
    void eachIsPublishedWhereItsSourceIsServed() {
        Predicate<Source> posAndCrm = Set.of(Source.POS, Source.CRM)::contains;

        assertThat(SquareEventKind.of("customer.updated").ignoredBy(posAndCrm)).isEmpty();
        assertThat(SquareEventKind.of("inventory.count.updated").ignoredBy(posAndCrm)).contains("source-not-served");
        assertThat(SquareEventKind.of("inventory.count.updated").ignoredBy(source -> true)).isEmpty();
        assertThat(SquareEventKind.CUSTOMER.topic()).isEqualTo(Topics.RAW_CRM);
        assertThat(SquareEventKind.INVENTORY.topic()).isEqualTo(Topics.RAW_INVENTORY);
    }
}
