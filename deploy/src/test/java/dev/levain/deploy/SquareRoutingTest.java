package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.levain.ingest.config.Source;
import dev.levain.ingest.connector.pos.square.SquareEventKind;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Square posts every notification type of its subscription to the one URL registered there. Followed through the
 * rendered manifests (the Ingress, the Service, the Deployment and its per-source settings), that URL must reach
 * an ingest Deployment that answers it and, by ingest-service's own rule, publishes each type Levain uses:
 * a notification answered 200 without being published is never sent again (issue 15 #5).
 */
class SquareRoutingTest {

    private static final List<String> SQUARE_TYPES = List.of(
            "payment.updated", "order.created", "refund.created", "customer.created", "customer.updated",
            "inventory.count.updated");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySquareNotificationTypeReachesADeploymentThatPublishesIt(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        URI url = URI.create(manifests.named("ConfigMap", "levain-ingest")
                .at("/data/LEVAIN_INGEST_POS_SQUARE_NOTIFICATION_URL").asText());
        JsonNode deployment = deploymentBehind(manifests, routedService(manifests, url));
        String what = overlay + " " + Manifests.describe(deployment) + " (routed " + url + ")";
        assertThat(DeployConsistencyTest.module(deployment)).as(what).isEqualTo("ingest-service");

        Map<String, JsonNode> env = DeployConsistencyTest.env(DeployConsistencyTest.app(deployment));
        Set<Source> served = Arrays.stream(env.get("LEVAIN_INGEST_SOURCES").path("value").asText().split(","))
                .map(s -> Source.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                .collect(Collectors.toSet());
        // The Square endpoint is a POS endpoint: elsewhere it answers 404.
        assertThat(served).as(what + " serves the Square endpoint").contains(Source.POS);
        assertThat(env.getOrDefault("LEVAIN_INGEST_POS_SQUARE_SIGNATURE_KEY", MissingNode.getInstance()).has("secretKeyRef"))
                .as(what + " checks Square's signature with a key from a Secret").isTrue();
        JsonNode signedUrl = env.getOrDefault("LEVAIN_INGEST_POS_SQUARE_NOTIFICATION_URL", MissingNode.getInstance());
        assertThat(signedUrl.at("/configMapKeyRef/name").asText() + "/" + signedUrl.at("/configMapKeyRef/key").asText())
                .as(what + " signs the URL Square posts to")
                .isEqualTo("levain-ingest/LEVAIN_INGEST_POS_SQUARE_NOTIFICATION_URL");

        for (String type : SQUARE_TYPES) {
            SquareEventKind kind = SquareEventKind.of(type);
            assertThat(kind.ignoredReason()).as(what + " publishes " + type + " (serving " + served + ")").isEmpty();
            assertThat(kind.topic()).as(type + " has a raw topic").isNotNull();
        }
    }

    /** The Service the Ingress sends {@code url} to: the rule of its host, the longest matching path. */
    private static String routedService(Manifests manifests, URI url) {
        String best = null;
        int bestLength = -1;
        for (JsonNode ingress : manifests.ofKind("Ingress")) {
            for (JsonNode rule : ingress.at("/spec/rules")) {
                if (!url.getHost().equals(rule.path("host").asText())) {
                    continue;
                }
                for (JsonNode path : rule.at("/http/paths")) {
                    String prefix = path.path("path").asText();
                    if (matches(path.path("pathType").asText(), prefix, url.getPath()) && prefix.length() > bestLength) {
                        best = path.at("/backend/service/name").asText();
                        bestLength = prefix.length();
                    }
                }
            }
        }
        assertThat(best).as(manifests.overlay() + ": an Ingress path for " + url).isNotNull();
        return best;
    }

    /** Kubernetes' path matching: Exact, or Prefix by whole path elements. */
    private static boolean matches(String pathType, String path, String requested) {
        if (pathType.equals("Exact")) {
            return requested.equals(path);
        }
        String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return requested.equals(prefix) || requested.startsWith(prefix + "/") || prefix.isEmpty();
    }

    /** The one Deployment whose pods the Service selects. */
    private static JsonNode deploymentBehind(Manifests manifests, String serviceName) {
        JsonNode selector = manifests.named("Service", serviceName).at("/spec/selector");
        List<JsonNode> selected = manifests.ofKind("Deployment").stream()
                .filter(d -> DeployConsistencyTest.selects(selector, d.at("/spec/template/metadata/labels")))
                .toList();
        assertThat(selected).as(manifests.overlay() + ": Deployments behind Service " + serviceName).hasSize(1);
        return selected.get(0);
    }
}
