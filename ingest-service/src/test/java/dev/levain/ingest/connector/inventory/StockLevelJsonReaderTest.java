package dev.levain.ingest.connector.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StockLevelJsonReaderTest {

    private static final String FIRST = """
            {"sku": "BAGUETTE", "location": "PAR-BASTILLE", "on_hand": 42, "unit": "pcs",
              "updated_at": "2026-11-27T08:15:00+01:00"}""";
    private static final String SECOND = "{\"sku\":\"CAFE\",\"name\":\"Café crème\",\"location\":\"PAR-BASTILLE\",\"on_hand\":3.5,"
            + "\"updated_at\":\"2026-11-27T07:00:00Z\"}";

    private final StockLevelJsonReader reader = new StockLevelJsonReader();

    @Test
    void readsEachLevelWithTheExactBytesOfItsObjectAndThePaging() {
        String page = "{\"page\": 1, \"stock_levels\": [\n  " + FIRST + ",\n  " + SECOND + "\n], \"total_pages\": 4}";

        InventoryPage<StockLevel> read = reader.readPage(page.getBytes(StandardCharsets.UTF_8));

        assertThat(read.totalPages()).isEqualTo(4);
        assertThat(read.items()).extracting(i -> new String(i.item().bytes(), StandardCharsets.UTF_8))
                .containsExactly(FIRST, SECOND);
        assertThat(read.items().get(1).item().key()).isEqualTo("CAFE@PAR-BASTILLE");
    }

    @Test
    void wrongTypesAreNamedWithTheirIndexAndTheOthersAreKept() {
        String page = "{\"stock_levels\": [" + FIRST + ", {\"sku\": 7, \"on_hand\": \"3\", \"updated_at\": 12}, 3]}";

        List<ReadItem<StockLevel>> items = reader.readPage(page.getBytes(StandardCharsets.UTF_8)).items();

        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(1).errors()).containsExactly(
                new FieldError("stock_levels[1].sku", "must be a non-empty string"),
                new FieldError("stock_levels[1].location", "is required"),
                new FieldError("stock_levels[1].on_hand", "must be a number"),
                new FieldError("stock_levels[1].updated_at", JsonFields.TIME_EXPECTED));
        assertThat(items.get(2).errors()).containsExactly(new FieldError("stock_levels[2]", "must be an object"));
    }

    @Test
    void skuAndLocationThatCannotBeAKeyAreNamedAndTheOtherLevelsKept() {
        String page = "{\"stock_levels\": [" + FIRST + ", " + FIRST.replace("PAR-BASTILLE", "Store 1") + ", "
                + FIRST.replace("BAGUETTE", "PAIN/CHOC") + "]}";

        List<ReadItem<StockLevel>> items = reader.readPage(page.getBytes(StandardCharsets.UTF_8)).items();

        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(1).errors()).containsExactly(
                new FieldError("stock_levels[1].location", JsonFields.CODE_EXPECTED));
        assertThat(items.get(2).errors()).containsExactly(
                new FieldError("stock_levels[2].sku", JsonFields.CODE_EXPECTED));
    }

    @Test
    void unreadablePagesAreRefused() {
        assertRefused("{\"stock_levels\": [" + FIRST, "body");
        assertRefused("{\"levels\": []}", "stock_levels");
        assertRefused("{\"stock_levels\": [], \"total_pages\": 0}", "total_pages");
        assertRefused("[]", "body");
    }

    private void assertRefused(String body, String field) {
        assertThatThrownBy(() -> reader.readPage(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors().get(0).field()).isEqualTo(field));
    }
}
