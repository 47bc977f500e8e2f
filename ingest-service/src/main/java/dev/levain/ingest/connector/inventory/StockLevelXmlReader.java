package dev.levain.ingest.connector.inventory;

import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import dev.levain.ingest.service.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a page of stock levels in the XML some inventory systems only offer:
 * {@code <stockLevels page="1" totalPages="3"><stockLevel sku=".." location=".."><onHand>..</onHand>
 * <updatedAt>..</updatedAt></stockLevel>...</stockLevels>}. Each level keeps the exact bytes of its element.
 * <p>
 * A document with a DOCTYPE is refused outright: no DTD is read and no entity resolved, so external
 * entities (XXE) and entity expansion bombs cannot work.
 */
@ApplicationScoped
public class StockLevelXmlReader {

    static final String ROOT = "stockLevels";
    static final String LEVEL = "stockLevel";

    public InventoryPage<StockLevel> readPage(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("body", "is empty; an XML document is expected");
        }
        Charset charset = declaredCharset(body);
        String text = new String(body, charset);
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new StringReader(text));
            toRoot(reader);
            int page = positiveInt(reader, "page");
            int totalPages = positiveInt(reader, "totalPages");
            List<Parsed> parsed = new ArrayList<>();
            while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                if (reader.getLocalName().equals(LEVEL)) {
                    parsed.add(readLevel(reader, parsed.size()));
                } else {
                    skipElement(reader);
                }
            }
            while (reader.hasNext()) {
                // Past the root only comments and whitespace may follow; anything else fails here.
                reader.next();
            }
            return new InventoryPage<>(withBytes(parsed, text, charset), page, totalPages);
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber() + ")";
            throw invalid("body", "is not well-formed XML" + where);
        } finally {
            close(reader);
        }
    }

    private static XMLInputFactory factory() {
        // The JDK's own parser, whatever else is on the classpath; DTDs and external entities off.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }

    /** The encoding the document declares (UTF-8 when it declares none), so element bytes can be cut exactly. */
    private static Charset declaredCharset(byte[] body) {
        XMLStreamReader probe = null;
        try {
            probe = factory().createXMLStreamReader(new ByteArrayInputStream(body));
            String encoding = probe.getEncoding();
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (XMLStreamException | IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw invalid("body", "is not an XML document in a known encoding");
        } finally {
            close(probe);
        }
    }

    private static void toRoot(XMLStreamReader reader) throws XMLStreamException {
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.DTD) {
                throw invalid("body", "has a DOCTYPE declaration; DTDs and entities are not accepted");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (!reader.getLocalName().equals(ROOT)) {
                    throw invalid("body", "must have the root element <" + ROOT + ">, not <" + reader.getLocalName() + ">");
                }
                return;
            }
        }
        throw invalid("body", "has no root element");
    }

    /** One {@code <stockLevel>} as StAX read it, before its bytes are attached. */
    private record Parsed(int index, String sku, String location, BigDecimal onHand, OffsetDateTime updatedAt,
                          List<FieldError> errors) {
    }

    private static Parsed readLevel(XMLStreamReader reader, int index) throws XMLStreamException {
        String path = "/" + ROOT + "/" + LEVEL + "[" + (index + 1) + "]";
        List<FieldError> errors = new ArrayList<>();
        String sku = requiredCode(reader, "sku", path, errors);
        String location = requiredCode(reader, "location", path, errors);
        String onHandText = null;
        String updatedAtText = null;
        while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (reader.getLocalName()) {
                case "onHand" -> onHandText = reader.getElementText().trim();
                case "updatedAt" -> updatedAtText = reader.getElementText().trim();
                default -> skipElement(reader);
            }
        }
        BigDecimal onHand = number(onHandText, path + "/onHand", errors);
        OffsetDateTime updatedAt = time(updatedAtText, path + "/updatedAt", errors);
        return new Parsed(index, sku, location, onHand, updatedAt, errors);
    }

    /**
     * Attaches to each level the bytes of its element. StAX does not tell where an element starts (its
     * locations run ahead of the events), so the document, already proved well-formed, is scanned for them.
     */
    private static List<ReadItem<StockLevel>> withBytes(List<Parsed> parsed, String text, Charset charset) {
        List<int[]> spans = XmlSpans.childrenOfRoot(text, LEVEL);
        if (spans.size() != parsed.size()) {
            throw new IllegalStateException("Found " + spans.size() + " <" + LEVEL + "> elements in the text but "
                    + parsed.size() + " in the document");
        }
        List<ReadItem<StockLevel>> items = new ArrayList<>(parsed.size());
        for (Parsed level : parsed) {
            int[] span = spans.get(level.index());
            byte[] bytes = text.substring(span[0], span[1]).getBytes(charset);
            StockLevel read = level.errors().isEmpty() ? new StockLevel(level.sku(), level.location(), level.onHand(),
                    level.updatedAt(), RawEvent.XML, bytes) : null;
            items.add(ReadItem.of(level.index(), read, level.errors()));
        }
        return items;
    }

    /** A required code attribute (sku, location): it becomes part of the event's key and CloudEvents source. */
    private static String requiredCode(XMLStreamReader reader, String name, String path, List<FieldError> errors) {
        String value = reader.getAttributeValue(null, name);
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(path + "/@" + name, value == null ? "is required" : "must not be empty"));
            return null;
        }
        if (!JsonFields.isCode(value)) {
            errors.add(new FieldError(path + "/@" + name, JsonFields.CODE_EXPECTED));
            return null;
        }
        return value;
    }

    private static BigDecimal number(String value, String path, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(path, "is required"));
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            errors.add(new FieldError(path, "must be a number, not " + value));
            return null;
        }
    }

    private static OffsetDateTime time(String value, String path, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(path, "is required"));
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(path, JsonFields.TIME_EXPECTED));
            return null;
        }
    }

    private static int positiveInt(XMLStreamReader reader, String attribute) {
        String value = reader.getAttributeValue(null, attribute);
        if (value == null) {
            return 1;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("/" + ROOT + "/@" + attribute, "must be a whole number >= 1");
    }

    private static void skipElement(XMLStreamReader reader) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException e) {
                // Nothing is held open by a reader over memory.
            }
        }
    }

    private static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }
}
