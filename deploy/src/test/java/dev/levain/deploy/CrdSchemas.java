package dev.levain.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The schemas of the operators' custom resources, made strict the way the API server is with
 * {@code fieldValidation=Strict}: an object with declared properties takes no other field unless the
 * schema preserves unknown fields. Strimzi's CRDs are generated the way Strimzi generates the ones it
 * ships (its {@code CrdGenerator} run over the model classes of {@code io.strimzi:api}, the version in
 * deploy/pom.xml); CloudNativePG's are read as its project publishes them, from the shared/ folder.
 */
final class CrdSchemas {

    private static final Map<String, String> STRIMZI_MODELS = Map.of(
            "Kafka", "io.strimzi.api.kafka.model.kafka.Kafka",
            "KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic");

    /**
     * CloudNativePG's CRDs, relative to the repository root: they are on no registry the build reaches,
     * so they live in the read-only shared/ folder that CI lays beside the repository.
     */
    static final String CLOUDNATIVE_PG_CRDS = "../shared/schemas/cloudnative-pg-1.30.0";

    private static final Map<String, String> CLOUDNATIVE_PG_FILES = Map.of(
            "Backup", "postgresql.cnpg.io_backups.yaml",
            "Cluster", "postgresql.cnpg.io_clusters.yaml",
            "ScheduledBackup", "postgresql.cnpg.io_scheduledbackups.yaml");

    private final Map<String, JsonSchema> schemas = new HashMap<>();
    private final Map<String, String> apiVersions = new HashMap<>();

    private CrdSchemas() {
    }

    /** Generates Strimzi's CRDs into {@code dir} and loads their schemas. */
    static CrdSchemas strimzi(Path dir) {
        CrdSchemas crds = new CrdSchemas();
        List<String> command = new ArrayList<>(List.of(
                javaForStrimzi().toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.strimzi.crdgenerator.CrdGenerator",
                "--target-kube", "1.16+", "--crd-api-version", "v1", "--api-versions", "v1",
                "--storage-version", "v1", "--yaml"));
        STRIMZI_MODELS.forEach((kind, model) -> command.add(model + "=" + dir.resolve(kind + ".yaml")));
        run(command, dir);
        STRIMZI_MODELS.keySet().forEach(kind -> crds.load(dir.resolve(kind + ".yaml")));
        return crds;
    }

    /** CloudNativePG's CRDs from {@link #CLOUDNATIVE_PG_CRDS} beside the repository. */
    static CrdSchemas cloudNativePg() {
        return cloudNativePg(Manifests.root().resolve(CLOUDNATIVE_PG_CRDS).normalize());
    }

    /** Loads CloudNativePG's {@code Backup}, {@code Cluster} and {@code ScheduledBackup} CRDs from {@code dir}. */
    static CrdSchemas cloudNativePg(Path dir) {
        return published("CloudNativePG", dir, CLOUDNATIVE_PG_FILES, CLOUDNATIVE_PG_CRDS);
    }

    /**
     * The Prometheus Operator's CRDs, relative to the repository root, from the read-only shared/ folder
     * too: {@code PodMonitor}, {@code PrometheusRule} and {@code ServiceMonitor}.
     */
    static final String PROMETHEUS_OPERATOR_CRDS = "../shared/schemas/prometheus-operator-0.93.0";

    private static final Map<String, String> PROMETHEUS_OPERATOR_FILES = Map.of(
            "PodMonitor", "monitoring.coreos.com_podmonitors.yaml",
            "PrometheusRule", "monitoring.coreos.com_prometheusrules.yaml",
            "ServiceMonitor", "monitoring.coreos.com_servicemonitors.yaml");

    /** The Prometheus Operator's CRDs from {@link #PROMETHEUS_OPERATOR_CRDS} beside the repository. */
    static CrdSchemas prometheusOperator() {
        return published("The Prometheus Operator", Manifests.root().resolve(PROMETHEUS_OPERATOR_CRDS).normalize(),
                PROMETHEUS_OPERATOR_FILES, PROMETHEUS_OPERATOR_CRDS);
    }

    /** CRDs as their project publishes them, one file per kind in {@code dir} ({@code where}, for the message). */
    private static CrdSchemas published(String project, Path dir, Map<String, String> files, String where) {
        List<Path> paths = files.values().stream().sorted().map(dir::resolve).toList();
        List<Path> missing = paths.stream().filter(file -> !Files.isRegularFile(file)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(project + "'s CRDs are missing: " + missing + ". They come from the"
                    + " shared/ folder beside the repository (" + where + " from the repository root,"
                    + " see shared/schemas/README.md), as CI lays it out: put a copy of shared/ there.");
        }
        CrdSchemas crds = new CrdSchemas();
        paths.forEach(crds::load);
        if (!crds.schemas.keySet().equals(files.keySet())) {
            throw new IllegalStateException("expected CRDs with a served storage version for " + files.keySet()
                    + " in " + dir + ", found " + crds);
        }
        return crds;
    }

    /**
     * Strimzi 1.x is compiled for Java 21, newer than Levain's 17: the generator runs on the newest
     * JDK under /usr/lib/jvm (the build machines have Temurin 25 there), or on $LEVAIN_STRIMZI_JAVA.
     */
    static Path javaForStrimzi() {
        String configured = System.getenv("LEVAIN_STRIMZI_JAVA");
        if (configured != null) {
            return Path.of(configured);
        }
        try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                    .filter(jdk -> featureVersion(jdk) >= 21)
                    .max(java.util.Comparator.comparingInt(CrdSchemas::featureVersion))
                    .map(jdk -> jdk.resolve("bin/java"))
                    .orElseThrow(() -> new IllegalStateException("Strimzi's CRD generator needs Java 21 or newer:"
                            + " install one under /usr/lib/jvm or set LEVAIN_STRIMZI_JAVA to its bin/java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int featureVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    boolean knows(JsonNode object) {
        return schemas.containsKey(object.path("kind").asText());
    }

    /** The schema's complaints about {@code object}; empty when it conforms. */
    List<String> violations(JsonNode object) {
        String kind = object.path("kind").asText();
        List<String> problems = new ArrayList<>();
        if (!apiVersions.get(kind).equals(object.path("apiVersion").asText())) {
            problems.add("apiVersion " + object.path("apiVersion").asText() + " is not served; the CRD serves " + apiVersions.get(kind));
        }
        ObjectNode body = object.deepCopy();
        // The API server checks metadata itself, as ObjectMeta.
        try {
            KubernetesSchema.validate("V1ObjectMeta", body.remove("metadata"));
        } catch (KubernetesSchema.SchemaViolation e) {
            problems.add("metadata: " + e.getMessage());
        }
        Set<ValidationMessage> messages = schemas.get(kind).validate(body);
        messages.stream().map(ValidationMessage::getMessage).sorted().forEach(problems::add);
        return problems;
    }

    private void load(Path crdFile) {
        try {
            JsonNode crd = Manifests.YAML.readTree(crdFile.toFile());
            String kind = crd.at("/spec/names/kind").asText();
            for (JsonNode version : crd.at("/spec/versions")) {
                if (version.path("served").asBoolean() && version.path("storage").asBoolean()) {
                    JsonNode schema = version.at("/schema/openAPIV3Schema").deepCopy();
                    // metadata is checked as ObjectMeta (violations), so the CRD's own takes no part.
                    ((ObjectNode) schema.path("properties")).remove("metadata");
                    if (schema.path("required") instanceof ArrayNode required) {
                        required.removeIf(field -> field.asText().equals("metadata"));
                    }
                    strict(schema);
                    schemas.put(kind, JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema));
                    apiVersions.put(kind, crd.at("/spec/group").asText() + "/" + version.path("name").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unknown fields are errors wherever the schema lists the fields and does not keep unknown ones. */
    static void strict(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        if (node.has("properties") && !node.has("additionalProperties")
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            node.put("additionalProperties", false);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            JsonNode child = children.next();
            if (child.isArray()) {
                child.forEach(CrdSchemas::strict);
            } else {
                strict(child);
            }
        }
    }

    private static void run(List<String> command, Path dir) {
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Strimzi's CrdGenerator failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return schemas.keySet().stream().sorted().collect(Collectors.joining(", "));
    }
}
