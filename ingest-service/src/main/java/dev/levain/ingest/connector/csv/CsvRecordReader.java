package dev.levain.ingest.connector.csv;

import dev.levain.events.csv.CsvFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV records one at a time from a stream, in bounded memory: quoted fields may hold
 * delimiters, quotes ({@code ""}) and line breaks; a record keeps its exact bytes and the line it
 * starts on. The delimiter is ',' or ';' (what spreadsheets in France export), guessed from the header.
 */
public final class CsvRecordReader {

    private static final int BOM_1 = 0xEF;

    private final InputStream in;
    private final int maxRecordBytes;
    private byte delimiter;
    private int line = 1;
    private int pushedBack = -1;

    /** @param in buffered by the caller; read to its end */
    public CsvRecordReader(InputStream in, int maxRecordBytes) {
        this.in = in;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The next record, or null at the end of the stream. */
    public CsvRecord next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        int startLine = line;
        ByteArrayOutputStream raw = new ByteArrayOutputStream(128);
        if (startLine == 1 && delimiter == 0 && c == BOM_1) {
            c = skipBom(raw);
        }
        boolean tooLong = false;
        boolean quoted = false;
        boolean fieldStart = raw.size() == 0;
        while (c != -1) {
            if (quoted) {
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        tooLong |= !write(raw, c);
                    } else {
                        quoted = false;
                        pushedBack = next;
                    }
                } else if (c == '\n' || c == '\r') {
                    if (tooLong) {
                        // A quote left open would swallow the rest of the file: end the broken record here.
                        quoted = false;
                        continue;
                    }
                    if (c == '\n') {
                        line++;
                    }
                }
            } else if (c == '\n' || c == '\r') {
                endOfLine(c);
                break;
            } else if (c == '"' && fieldStart) {
                // A quote opens a quoted field only at its start; elsewhere it is text (12" tart).
                quoted = true;
            }
            fieldStart = !quoted && isDelimiter(c);
            tooLong |= !write(raw, c);
            c = read();
        }
        byte[] bytes = raw.toByteArray();
        if (delimiter == 0) {
            delimiter = guessDelimiter(bytes);
        }
        if (tooLong) {
            return CsvRecord.broken(startLine, bytes, "is longer than " + maxRecordBytes + " bytes");
        }
        if (quoted) {
            return CsvRecord.broken(startLine, bytes, "has a quote that is never closed");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return CsvRecord.broken(startLine, bytes, "is not valid UTF-8; export the file as CSV UTF-8");
        }
        return split(startLine, bytes, text);
    }

    /** The delimiter found in the first record: ';' or ','. */
    public char delimiter() {
        return (char) delimiter;
    }

    private CsvRecord split(int startLine, byte[] bytes, String text) {
        // The record was cut outside quotes and its quotes are closed: one record, split the shared way.
        return CsvRecord.of(startLine, bytes, CsvFields.fields(text, (char) delimiter));
    }

    /** Consumes the rest of a line break ("\r\n" counts once) and counts the line. */
    private void endOfLine(int c) throws IOException {
        if (c == '\r') {
            int next = read();
            if (next != '\n' && next != -1) {
                pushedBack = next;
            }
        }
        line++;
    }

    private boolean isDelimiter(int c) {
        // The header is read before the delimiter is known: either may separate its fields.
        return delimiter == 0 ? c == ',' || c == ';' : c == delimiter;
    }

    /** Writes {@code c} unless the record is already at its size limit; false when it was not written. */
    private boolean write(ByteArrayOutputStream raw, int c) {
        if (raw.size() >= maxRecordBytes) {
            return false;
        }
        raw.write(c);
        return true;
    }

    private static byte guessDelimiter(byte[] header) {
        int commas = 0;
        int semicolons = 0;
        for (byte b : header) {
            if (b == ',') {
                commas++;
            } else if (b == ';') {
                semicolons++;
            }
        }
        return semicolons > commas ? (byte) ';' : (byte) ',';
    }

    /**
     * Skips a UTF-8 byte order mark and returns the byte after it; bytes that only start like one are kept
     * in {@code raw} (they are then text, or invalid UTF-8 reported as such).
     */
    private int skipBom(ByteArrayOutputStream raw) throws IOException {
        int second = read();
        if (second != 0xBB) {
            raw.write(BOM_1);
            return second;
        }
        int third = read();
        if (third != 0xBF) {
            raw.write(BOM_1);
            raw.write(second);
            return third;
        }
        return read();
    }

    private int read() throws IOException {
        if (pushedBack != -1) {
            int c = pushedBack;
            pushedBack = -1;
            return c;
        }
        return in.read();
    }
}
