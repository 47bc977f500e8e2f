package dev.levain.normalize.mapping;

import dev.levain.normalize.service.RejectedEventException;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one small XML element safely: a document with a DOCTYPE is refused outright and the parser
 * neither reads DTDs nor resolves external entities, so XXE and entity-expansion bombs cannot work.
 */
final class SafeXml {

    private SafeXml() {
    }

    /** One element: its attributes and the text of its child elements (the last one of a name wins). */
    record Element(String name, Map<String, String> attributes, Map<String, String> children) {
    }

    /** The root element of {@code payload}, which must be named {@code root}. */
    static Element root(byte[] payload, String root) {
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new ByteArrayInputStream(payload));
            toRoot(reader, root);
            Map<String, String> attributes = new HashMap<>();
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            }
            Map<String, String> children = new HashMap<>();
            while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                String child = reader.getLocalName();
                children.put(child, textOf(reader));
            }
            return new Element(root, Map.copyOf(attributes), Map.copyOf(children));
        } catch (XMLStreamException e) {
            throw new RejectedEventException("payload is not well-formed XML: " + e.getMessage());
        } finally {
            close(reader);
        }
    }

    private static XMLInputFactory factory() {
        // The JDK's own parser, whatever else is on the classpath; DTDs and external entities off.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return factory;
    }

    private static void toRoot(XMLStreamReader reader, String root) throws XMLStreamException {
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.DTD) {
                throw new RejectedEventException("payload has a DOCTYPE declaration; DTDs and entities are refused");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (!reader.getLocalName().equals(root)) {
                    throw new RejectedEventException("payload must have the root element <" + root + ">, not <"
                            + reader.getLocalName() + ">");
                }
                return;
            }
        }
        throw new RejectedEventException("payload has no root element");
    }

    /** The text of a simple child element; an entity reference in it is refused, not resolved. */
    private static String textOf(XMLStreamReader reader) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new RejectedEventException("payload refers to the entity &" + reader.getLocalName()
                        + "; entities are refused");
            } else if (depth == 1 && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                text.append(reader.getText());
            }
        }
        return text.toString().trim();
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
}
