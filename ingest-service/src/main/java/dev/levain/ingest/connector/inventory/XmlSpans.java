package dev.levain.ingest.connector.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds where elements start and end in the text of an XML document that a parser has already found
 * well-formed, so their bytes can be kept as received. Only the lexical structure matters here: comments,
 * CDATA, processing instructions and quoted attribute values are stepped over; a '<' elsewhere opens a tag.
 */
final class XmlSpans {

    private XmlSpans() {
    }

    /** {start, end} (end exclusive) of each child of the root element whose local name is {@code name}, in order. */
    static List<int[]> childrenOfRoot(String text, String name) {
        List<int[]> spans = new ArrayList<>();
        int depth = 0;
        int start = -1;
        int at = text.indexOf('<');
        while (at >= 0) {
            int next = skipNonElement(text, at);
            if (next >= 0) {
                at = text.indexOf('<', next);
                continue;
            }
            int end = tagEnd(text, at);
            if (text.charAt(at + 1) == '/') {
                depth--;
                if (depth == 1 && start >= 0) {
                    spans.add(new int[] {start, end});
                    start = -1;
                }
            } else {
                if (depth == 1 && localName(text, at + 1).equals(name)) {
                    start = at;
                }
                if (text.charAt(end - 2) != '/') {
                    depth++;
                } else if (depth == 1 && start >= 0) {
                    spans.add(new int[] {start, end});
                    start = -1;
                }
            }
            at = text.indexOf('<', end);
        }
        return spans;
    }

    /** The index just past a comment, CDATA section, processing instruction or declaration at {@code at}; -1 if a tag is there. */
    private static int skipNonElement(String text, int at) {
        if (text.startsWith("<!--", at)) {
            return text.indexOf("-->", at) + 3;
        }
        if (text.startsWith("<![CDATA[", at)) {
            return text.indexOf("]]>", at) + 3;
        }
        if (text.startsWith("<?", at)) {
            return text.indexOf("?>", at) + 2;
        }
        if (text.startsWith("<!", at)) {
            return tagEnd(text, at);
        }
        return -1;
    }

    /** The index just past the '>' closing the tag at {@code at}; a '>' inside a quoted value does not close it. */
    private static int tagEnd(String text, int at) {
        char quote = 0;
        for (int i = at + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i + 1;
            }
        }
        throw new IllegalStateException("Unclosed tag in a document found well-formed");
    }

    private static String localName(String text, int from) {
        int end = from;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '/'
                && text.charAt(end) != '>') {
            end++;
        }
        String qualified = text.substring(from, end);
        return qualified.substring(qualified.indexOf(':') + 1);
    }
}
