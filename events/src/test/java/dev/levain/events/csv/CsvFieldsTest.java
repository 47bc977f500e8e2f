package dev.levain.events.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFieldsTest {

    @Test
    void quotedFieldsKeepDelimitersQuotesAndLineBreaks() {
        assertThat(CsvFields.records("sku;name\r\nTARTE;\"Tarte \"\"maison\"\"; 6 parts\nfraise\"\r\n", ';'))
                .containsExactly(List.of("sku", "name"), List.of("TARTE", "Tarte \"maison\"; 6 parts\nfraise"));
    }

    @Test
    void aQuoteInsideAFieldIsText() {
        assertThat(CsvFields.fields("TARTE,12\" tart,,", ',')).containsExactly("TARTE", "12\" tart", "", "");
        assertThat(CsvFields.fields("", ',')).containsExactly("");
    }

    @Test
    void aQuoteNeverClosedIsRefused() {
        assertThatThrownBy(() -> CsvFields.records("a,\"b\n", ',')).hasMessage("a quote is never closed");
    }
}
