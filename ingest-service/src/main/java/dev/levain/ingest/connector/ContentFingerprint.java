package dev.levain.ingest.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.levain.events.EventIds;
import dev.levain.events.Json;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a JSON payload says, hashed so that the same content sent in another layout has the same fingerprint:
 * the ledger tells a resend of one version (same fingerprint) from a changed record under the same version
 * (another one). The bytes alone would not do: a sale alone or in a batch, a contact pushed or pulled, one
 * instant written with another offset, all carry the same version in other bytes.
 */
public final class ContentFingerprint {

    private ContentFingerprint() {
    }

    /**
     * SHA-256 of the canonical form of {@code json}: keys sorted, no spaces, null members left out (absent
     * and null say the same), numbers without trailing zeros, date-times with an offset as UTC instants.
     * Bytes that are not JSON are fingerprinted as they are.
     */
    public static String ofJson(byte[] json) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(json);
        } catch (IOException e) {
            return EventIds.sha256(json);
        }
        if (tree == null) {
            return EventIds.sha256(json);
        }
        StringBuilder canonical = new StringBuilder(json.length);
        write(tree, canonical);
        return EventIds.stableId(canonical.toString());
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (!member.getValue().isNull()) {
                    members.add(member);
                }
            }
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                out.append(i == 0 ? "" : ",").append(TextNode.valueOf(members.get(i).getKey())).append(':');
                write(members.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(node.decimalValue().stripTrailingZeros().toPlainString());
        } else if (node.isTextual()) {
            out.append(TextNode.valueOf(instantOrSelf(node.asText())));
        } else {
            out.append(node.asText());
        }
    }

    /** {@code 2026-11-27T08:15:00+01:00} and {@code 2026-11-27T07:15:00Z} are one instant, so one content. */
    private static String instantOrSelf(String text) {
        if (text.length() < 20 || text.length() > 40 || text.charAt(10) != 'T') {
            return text;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }
}
