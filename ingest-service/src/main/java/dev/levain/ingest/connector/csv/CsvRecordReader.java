package dev.levain.ingest.connector.csv;

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
        int first = read();
        if (first == -1) {
            return null;
        }
        if (line == 1 && delimiter == 0 && first == BOM_1) {
            skipBom();
            first = read();
        }
        int startLine = line;
        ByteArrayOutputStream raw = new ByteArrayOutputStream(128);
        boolean tooLong = false;
        boolean quoted = false;
        int c = first;
        while (c != -1) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (c == '\r') {
                    int next = read();
                    if (next != '\n' && next != -1) {
                        pushedBack = next;
                    }
                }
                line++;
                break;
            } else if (c == '\n') {
                line++;
            }
            if (raw.size() < maxRecordBytes) {
                raw.write(c);
            } else {
                tooLong = true;
            }
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
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return CsvRecord.of(startLine, bytes, fields);
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

    private void skipBom() throws IOException {
        if (read() != 0xBB || read() != 0xBF) {
            throw new IOException("The file starts with a broken byte order mark");
        }
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
