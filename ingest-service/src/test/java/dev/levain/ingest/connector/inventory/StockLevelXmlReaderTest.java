package dev.levain.ingest.connector.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StockLevelXmlReaderTest {

    private static final String BASTILLE = """
            <stockLevel sku="BAGUETTE" location="PAR-BASTILLE">
                <onHand>42</onHand>
                <updatedAt>2026-11-27T08:15:00.250+01:00</updatedAt>
              </stockLevel>""";
    // A quoted '>', a comment and CDATA that looks like a closing tag: none of them ends the element.
    // Accents and an entity in an attribute Levain does not read: the bytes are kept as they came.
    private static final String CHATELET = "<stockLevel location=\"PAR-CHATELET\" label='Café &amp; crème > b' sku=\"CAFE-CREME\">"
            + "<!-- <stockLevel> --><onHand>-2.5</onHand><note><![CDATA[</stockLevel> <]]></note>"
            + "<updatedAt>2026-11-27T07:00:00Z</updatedAt></stockLevel>";

    private final StockLevelXmlReader reader = new StockLevelXmlReader();

    @Test
    void readsEachLevelWithTheExactBytesOfItsElementAndThePaging() {
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- export -->\r\n"
                + "<stockLevels page=\"2\" totalPages=\"3\">\r\n  " + BASTILLE + "\r\n  " + CHATELET + "\r\n</stockLevels>\r\n";

        InventoryPage<StockLevel> page = reader.readPage(document.getBytes(StandardCharsets.UTF_8));

        assertThat(page.page()).isEqualTo(2);
        assertThat(page.totalPages()).isEqualTo(3);
        assertThat(page.items()).allMatch(ReadItem::valid).hasSize(2);
        StockLevel baguette = page.items().get(0).item();
        assertThat(baguette.key()).isEqualTo("BAGUETTE@PAR-BASTILLE");
        assertThat(baguette.onHand()).isEqualByComparingTo("42");
        assertThat(baguette.updatedAt()).isEqualTo(OffsetDateTime.parse("2026-11-27T08:15:00.250+01:00"));
        assertThat(baguette.contentType()).isEqualTo("application/xml");
        assertThat(baguette.bytes()).isEqualTo(BASTILLE.getBytes(StandardCharsets.UTF_8));
        StockLevel cafe = page.items().get(1).item();
        assertThat(cafe.key()).isEqualTo("CAFE-CREME@PAR-CHATELET");
        assertThat(cafe.onHand()).isEqualTo(new BigDecimal("-2.5"));
        assertThat(cafe.bytes()).isEqualTo(CHATELET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheBytesOfADocumentInTheEncodingItDeclares() {
        String document = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><stockLevels>" + CHATELET + "</stockLevels>";

        StockLevel level = reader.readPage(document.getBytes(StandardCharsets.ISO_8859_1)).items().get(0).item();

        assertThat(level.location()).isEqualTo("PAR-CHATELET");
        assertThat(level.bytes()).isEqualTo(CHATELET.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void sameLevelInXmlAndJsonIsTheSameEvent() {
        String json = "{\"stock_levels\":[{\"sku\":\"BAGUETTE\",\"location\":\"PAR-BASTILLE\",\"on_hand\":42,"
                + "\"updated_at\":\"2026-11-27T07:15:00.25Z\"}]}";

        StockLevel fromXml = reader.readPage(document(BASTILLE)).items().get(0).item();
        StockLevel fromJson = new StockLevelJsonReader().readPage(json.getBytes(StandardCharsets.UTF_8)).items().get(0).item();

        assertThat(fromXml.toRawEvent().id()).isEqualTo(fromJson.toRawEvent().id());
        assertThat(fromXml.toRawEvent().key()).isEqualTo("BAGUETTE@PAR-BASTILLE");
    }

    @Test
    void wrongTypesAndMissingValuesAreNamedByTheirElement() {
        String document = "<stockLevels>" + BASTILLE
                + "<stockLevel sku=\"CROISSANT\"><onHand>twelve</onHand><updatedAt>08:15</updatedAt></stockLevel>"
                + "<stockLevel sku=\"\" location=\"PAR-BASTILLE\"><updatedAt>2026-11-27T08:15:00+01:00</updatedAt></stockLevel>"
                + "</stockLevels>";

        List<ReadItem<StockLevel>> items = reader.readPage(document.getBytes(StandardCharsets.UTF_8)).items();

        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(1).errors()).extracting(FieldError::field).containsExactly(
                "/stockLevels/stockLevel[2]/@location", "/stockLevels/stockLevel[2]/onHand",
                "/stockLevels/stockLevel[2]/updatedAt");
        assertThat(items.get(1).errors().get(1).message()).isEqualTo("must be a number, not twelve");
        assertThat(items.get(2).errors()).extracting(FieldError::field).containsExactly(
                "/stockLevels/stockLevel[3]/@sku", "/stockLevels/stockLevel[3]/onHand");
    }

    @Test
    void skuAndLocationThatCannotBeAKeyAreNamedAndTheOtherLevelsKept() {
        String document = "<stockLevels>" + BASTILLE
                + "<stockLevel sku=\"BAGUETTE\" location=\"Store 1\"><onHand>3</onHand>"
                + "<updatedAt>2026-11-27T08:15:00+01:00</updatedAt></stockLevel>"
                + "<stockLevel sku=\"PAIN/CHOC\" location=\"PAR-BASTILLE\"><onHand>3</onHand>"
                + "<updatedAt>2026-11-27T08:15:00+01:00</updatedAt></stockLevel>"
                + "</stockLevels>";

        List<ReadItem<StockLevel>> items = reader.readPage(document.getBytes(StandardCharsets.UTF_8)).items();

        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(1).errors()).containsExactly(
                new FieldError("/stockLevels/stockLevel[2]/@location", JsonFields.CODE_EXPECTED));
        assertThat(items.get(2).errors()).containsExactly(
                new FieldError("/stockLevels/stockLevel[3]/@sku", JsonFields.CODE_EXPECTED));
    }

    @Test
    void malformedXmlIsRefusedSayingWhere() {
        assertRefused("<stockLevels>" + BASTILLE, "body", "is not well-formed XML");
        assertRefused("<stockLevels><stockLevel sku=\"A\" location=\"B\"><onHand>1</onHand></stockLevels>", "body",
                "is not well-formed XML (line 1");
        assertRefused("<stockLevels/><trailing/>", "body", "is not well-formed XML");
        assertRefused("{\"stock_levels\": []}", "body", "is not well-formed XML");
        assertRefused("", "body", "is empty");
        assertRefused("<levels/>", "body", "must have the root element <stockLevels>, not <levels>");
        assertRefused("<stockLevels page=\"first\"/>", "/stockLevels/@page", "must be a whole number >= 1");
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-42");
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE stockLevels [<!ENTITY xxe SYSTEM "%s">]>
                <stockLevels><stockLevel sku="&xxe;" location="PAR-BASTILLE"><onHand>1</onHand>
                <updatedAt>2026-11-27T08:15:00+01:00</updatedAt></stockLevel></stockLevels>"""
                .formatted(secret.toUri());
        String parameterEntity = """
                <?xml version="1.0"?>
                <!DOCTYPE stockLevels [<!ENTITY % remote SYSTEM "%s"> %%remote;]>
                <stockLevels/>""".replace("%s", secret.toUri().toString()).replace("%%", "%");
        String external = """
                <?xml version="1.0"?>
                <!DOCTYPE stockLevels SYSTEM "%s">
                <stockLevels/>""".formatted(secret.toUri());

        for (String document : List.of(xxe, parameterEntity, external)) {
            assertThatThrownBy(() -> reader.readPage(document.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageNotContaining("TOP-SECRET-42")
                    .satisfies(e -> assertThat(((InvalidInputException) e).errors().get(0).message())
                            .contains("DOCTYPE"));
        }
    }

    @Test
    void entityExpansionBombsAreRefused() {
        String bomb = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
                <stockLevels><stockLevel sku="&lol3;" location="X"/></stockLevels>""";

        assertRefused(bomb, "body", "has a DOCTYPE declaration");
    }

    private void assertRefused(String document, String field, String message) {
        assertThatThrownBy(() -> reader.readPage(document.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> {
                    FieldError error = ((InvalidInputException) e).errors().get(0);
                    assertThat(error.field()).isEqualTo(field);
                    assertThat(error.message()).startsWith(message);
                });
    }

    private static byte[] document(String levels) {
        return ("<stockLevels>" + levels + "</stockLevels>").getBytes(StandardCharsets.UTF_8);
    }
}
