package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object of every overlay conforms, strictly, to the schema the cluster will check it against:
 * built-in kinds to Kubernetes 1.32's, Strimzi's to the CRDs of the Strimzi version in the pom.
 * CloudNativePG publishes its CRDs on none of the registries this build reaches, so its objects
 * get their metadata and API version checked here, and their fields by DeployConsistencyTest.
 */
class ManifestSchemaTest {

    private static final Set<String> CLOUDNATIVE_PG_KINDS = Set.of("Cluster", "ScheduledBackup");

    private static CrdSchemas strimzi;

    @BeforeAll
    static void generateStrimziCrds() {
        strimzi = CrdSchemas.strimzi(Path.of("target", "strimzi-crds"));
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
        if (CLOUDNATIVE_PG_KINDS.contains(object.path("kind").asText())
                && "postgresql.cnpg.io/v1".equals(object.path("apiVersion").asText())) {
            try {
                KubernetesSchema.validate("V1ObjectMeta", object.path("metadata"));
                return List.of();
            } catch (KubernetesSchema.SchemaViolation e) {
                return List.of("metadata: " + e.getMessage());
            }
        }
        return List.of("no schema for " + object.path("apiVersion").asText() + " " + object.path("kind").asText());
    }
}
