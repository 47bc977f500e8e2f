package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object of every overlay conforms, strictly, to the schema the cluster will check it against:
 * built-in kinds to Kubernetes 1.32's, Strimzi's to the CRDs of the Strimzi version in the pom,
 * CloudNativePG's to the CRDs of CloudNativePG 1.30.0 and the Prometheus Operator's to those of its
 * 0.93.0 (both from shared/, beside the repository).
 */
class ManifestSchemaTest {

    private static CrdSchemas strimzi;
    private static CrdSchemas cloudNativePg;
    private static CrdSchemas prometheusOperator;

    @BeforeAll
    static void loadOperatorCrds() {
        strimzi = CrdSchemas.strimzi(Path.of("target", "strimzi-crds"));
        cloudNativePg = CrdSchemas.cloudNativePg();
        prometheusOperator = CrdSchemas.prometheusOperator();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectConformsToItsSchema(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        assertThat(manifests.objects()).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        for (JsonNode object : manifests.objects()) {
            problems.addAll(violations(object).stream().map(p -> Manifests.describe(object) + ": " + p).toList());
        }
        assertThat(problems).as("schema violations in overlay " + overlay).isEmpty();
    }

    @Test
    void unknownFieldIsRejected() {
        JsonNode deployment = Manifests.build("dev").named("Deployment", "api-service").deepCopy();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePulPolicy", "Always");
        assertThat(violations(deployment)).singleElement().asString().contains("imagePulPolicy");

        JsonNode topic = Manifests.build("dev").named("KafkaTopic", "levain-raw-pos").deepCopy();
        ((ObjectNode) topic.path("spec")).put("partition", 3);
        assertThat(violations(topic)).singleElement().asString().contains("partition");
    }

    @Test
    void missingRequiredFieldAndWrongTypeAreRejected() {
        JsonNode deployment = Manifests.build("dev").named("Deployment", "api-service").deepCopy();
        ((ObjectNode) deployment.path("spec")).remove("selector");
        assertThat(violations(deployment)).singleElement().asString().contains("selector");

        JsonNode pool = Manifests.build("dev").named("KafkaNodePool", "dual-role").deepCopy();
        ((ObjectNode) pool.path("spec")).put("replicas", "three");
        assertThat(violations(pool)).isNotEmpty().anyMatch(p -> p.contains("replicas"));
    }

    @Test
    void cloudNativePgObjectsAreCheckedStrictly() {
        Manifests dev = Manifests.build("dev");
        ObjectNode cluster = dev.named("Cluster", "levain-db").deepCopy();
        ((ObjectNode) cluster.at("/spec/backup/barmanObjectStore")).put("destinationPth", "s3://elsewhere");
        assertThat(violations(cluster)).singleElement().asString().contains("destinationPth");

        ObjectNode wrongType = dev.named("Cluster", "levain-db").deepCopy();
        ((ObjectNode) wrongType.path("spec")).put("instances", "three");
        assertThat(violations(wrongType)).isNotEmpty().allMatch(p -> p.contains("instances"));

        ObjectNode schedule = dev.named("ScheduledBackup", "levain-db-daily").deepCopy();
        ((ObjectNode) schedule.path("spec")).remove("schedule");
        assertThat(violations(schedule)).singleElement().asString().contains("schedule");
    }

    /** A Backup as {@code kubectl cnpg backup levain-db} makes it; then with a method CloudNativePG lacks and a misspelled field. */
    @Test
    void onDemandBackupIsCheckedStrictly() {
        ObjectNode backup = (ObjectNode) Manifests.parse("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Backup
                metadata:
                  name: levain-db-now
                spec:
                  cluster:
                    name: levain-db
                  method: barmanObjectStore
                """).get(0);
        assertThat(violations(backup)).isEmpty();

        ((ObjectNode) backup.path("spec")).put("method", "barmanObjectstore");
        ((ObjectNode) backup.path("spec")).put("onlin", true);
        assertThat(violations(backup)).hasSize(2)
                .anyMatch(p -> p.contains("method")).anyMatch(p -> p.contains("onlin"));
    }

    /** The README's restore is a Cluster an operator applies by hand: it must pass the same check. */
    @Test
    void readmeRestoreClusterConformsToItsSchema() throws IOException {
        String readme = Files.readString(Manifests.deployDir().resolve("README.md"));
        Matcher block = Pattern.compile("```yaml\n(\\s*# restore\\.yaml.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("deploy/README.md has the restore.yaml example").isTrue();
        JsonNode restore = Manifests.parse(block.group(1).stripIndent()).get(0);
        assertThat(restore.path("kind").asText()).isEqualTo("Cluster");
        assertThat(violations(restore)).isEmpty();
    }

    @Test
    void missingCloudNativePgCrdsSayWhereTheyAreExpected(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> CrdSchemas.cloudNativePg(elsewhere.resolve("cloudnative-pg-1.30.0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("postgresql.cnpg.io_clusters.yaml")
                .hasMessageContaining(CrdSchemas.CLOUDNATIVE_PG_CRDS);
    }

    private static List<String> violations(JsonNode object) {
        if (KubernetesSchema.knows(object)) {
            try {
                KubernetesSchema.validate(object);
                return List.of();
            } catch (KubernetesSchema.SchemaViolation e) {
                return List.of(e.getMessage());
            }
        }
        if (strimzi.knows(object)) {
            return strimzi.violations(object);
        }
        if (cloudNativePg.knows(object)) {
            return cloudNativePg.violations(object);
        }
        if (prometheusOperator.knows(object)) {
            return prometheusOperator.violations(object);
        }
        return List.of("no schema for " + object.path("apiVersion").asText() + " " + object.path("kind").asText());
    }
}
