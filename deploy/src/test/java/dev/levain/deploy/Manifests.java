package dev.levain.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The objects an overlay renders to, as {@code kubectl kustomize} builds them. */
public record Manifests(String overlay, List<JsonNode> objects) {

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    /** The repository root (Maven passes it; the module folder's parent otherwise). */
    static Path root() {
        String root = System.getProperty("levain.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    static Path deployDir() {
        return root().resolve("deploy");
    }

    /** Renders {@code deploy/overlays/<overlay>} (or {@code deploy/base}) with kubectl's Kustomize. */
    static Manifests build(String overlay) {
        Path dir = overlay.equals("base") ? deployDir().resolve("base") : deployDir().resolve("overlays").resolve(overlay);
        return new Manifests(overlay, parse(kustomize(dir)));
    }

    static String kustomize(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
            }
            return new String(out);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl is needed to build the Kustomize overlays", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> parse(String yaml) {
        try (var parser = new YAMLFactory().createParser(yaml)) {
            List<JsonNode> objects = new ArrayList<>();
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    objects.add(node);
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " named " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String describe(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }
}
