package dev.levain.ingest.connector.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    @Test
    void quotedFieldsKeepDelimitersQuotesAndLineBreaksAndLinesAreCountedAcrossThem() throws IOException {
        List<CsvRecord> records = read("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\r\n2,plain,4\n");

        assertThat(records).hasSize(3);
        assertThat(records.get(1).fields()).containsExactly("1", "x, \"y\"\nz", "3");
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(new String(records.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("1,\"x, \"\"y\"\"\nz\",3");
        assertThat(records.get(2).line()).isEqualTo(4);
        assertThat(records.get(2).fields()).containsExactly("2", "plain", "4");
    }

    @Test
    void quoteInsideAnUnquotedFieldIsTextAndDoesNotSwallowTheFile() throws IOException {
        List<CsvRecord> records = read("sku,name\nT-12,Tarte 12\" ronde\nT-13,Tarte \"maison\"\nT-14,ok\n");

        assertThat(records).hasSize(4);
        assertThat(records.get(1).fields()).containsExactly("T-12", "Tarte 12\" ronde");
        assertThat(records.get(2).fields()).containsExactly("T-13", "Tarte \"maison\"");
        assertThat(records.get(3).fields()).containsExactly("T-14", "ok");
        assertThat(records).allSatisfy(r -> assertThat(r.problem()).isNull());
    }

    @Test
    void carriageReturnAloneEndsALineAndSemicolonsAreGuessedFromTheHeader() throws IOException {
        List<CsvRecord> records = read("a;b\r1;2,5\r3;4\r");

        assertThat(records).extracting(CsvRecord::line).containsExactly(1, 2, 3);
        assertThat(records.get(1).fields()).containsExactly("1", "2,5");
    }

    @Test
    void byteOrderMarkIsSkippedAndBytesThatOnlyLookLikeOneAreReportedAsInvalid() throws IOException {
        assertThat(read("\uFEFFa,b\n1,2\n").get(0).fields()).containsExactly("a", "b");

        byte[] notABom = {(byte) 0xEF, 'a', ',', 'b', '\n'};
        CsvRecord header = new CsvRecordReader(new ByteArrayInputStream(notABom), 1024).next();
        assertThat(header.problem()).isEqualTo("is not valid UTF-8; export the file as CSV UTF-8");
    }

    @Test
    void invalidUtf8RowIsReportedAndTheNextRowIsRead() throws IOException {
        byte[] latin1 = "a,b\n1,\u00c9clair\n2,ok\n".getBytes(StandardCharsets.ISO_8859_1);
        List<CsvRecord> records = read(latin1);

        assertThat(records.get(1).problem()).startsWith("is not valid UTF-8");
        assertThat(records.get(2).fields()).containsExactly("2", "ok");
        assertThat(records.get(2).line()).isEqualTo(3);
    }

    @Test
    void unclosedQuoteAndOverLongRecordsAreBrokenAndReadingResumesAfterThem() throws IOException {
        List<CsvRecord> open = read("a,b\n1,\"never closed\n");
        assertThat(open.get(1).problem()).isEqualTo("has a quote that is never closed");

        String longField = "x".repeat(200);
        List<CsvRecord> records = read("a,b\n1,\"" + longField + "\n2,ok\n", 64);
        assertThat(records.get(1).problem()).isEqualTo("is longer than 64 bytes");
        assertThat(records.get(2).fields()).containsExactly("2", "ok");
    }

    private static List<CsvRecord> read(String csv) throws IOException {
        return read(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static List<CsvRecord> read(byte[] csv) throws IOException {
        return read(csv, 64 * 1024);
    }

    private static List<CsvRecord> read(String csv, int max) throws IOException {
        return read(csv.getBytes(StandardCharsets.UTF_8), max);
    }

    private static List<CsvRecord> read(byte[] csv, int max) throws IOException {
        CsvRecordReader reader = new CsvRecordReader(new ByteArrayInputStream(csv), max);
        List<CsvRecord> records = new ArrayList<>();
        for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }
}
