package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The images the manifests run are the ones the services' Jib builds name (root pom.xml, quarkus.container-image.*). */
class ImagesMatchMavenTest {

    @Test
    void everyServiceRunsTheImageMavenBuilds() {
        String registry = required("levain.image.registry");
        String group = required("levain.image.group");
        String tag = required("levain.image.tag");
        Map<String, String> images = new TreeMap<>();
        for (JsonNode deployment : Manifests.build("base").ofKind("Deployment")) {
            images.put(Manifests.name(deployment), DeployConsistencyTest.app(deployment).path("image").asText());
        }
        assertThat(images).hasSize(6).allSatisfy((name, image) -> {
            String module = name.startsWith("ingest-") ? "ingest-service" : name;
            assertThat(image).as(name).isEqualTo(registry + "/" + group + "/" + module + ":" + tag);
        });
    }

    @Test
    void podsRunAsTheImageUserWithAHeapSizedByTheMemoryLimit() {
        long user = Long.parseLong(required("levain.image.user"));
        for (JsonNode deployment : Manifests.build("base").ofKind("Deployment")) {
            assertThat(deployment.at("/spec/template/spec/securityContext/runAsUser").asLong())
                    .as(Manifests.name(deployment) + " runs as the image's user (quarkus.jib.user)").isEqualTo(user);
            assertThat(DeployConsistencyTest.app(deployment).at("/resources/limits/memory").asText()).isNotEmpty();
        }
        assertThat(required("levain.image.jvm-arguments").split(","))
                .anyMatch(argument -> argument.startsWith("-XX:MaxRAMPercentage="))
                .noneMatch(argument -> argument.startsWith("-Xmx"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value).as(property + " (passed by deploy/pom.xml)").isNotBlank().doesNotContain("${");
        return value;
    }
}
