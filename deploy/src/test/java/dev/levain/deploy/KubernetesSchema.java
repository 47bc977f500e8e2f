package dev.levain.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Strict validation of built-in Kubernetes objects against the Kubernetes 1.32 OpenAPI schema, as
 * generated into the models of the official Java client ({@code io.kubernetes:client-java-api}
 * 24.0.0): each model's {@code validateJsonElement} rejects a field the schema does not define,
 * a missing required field and a value of the wrong JSON type, all the way down.
 */
final class KubernetesSchema {

    /** The API versions Levain's manifests may use, as served by Kubernetes 1.32, with their model class. */
    private static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", "V1Namespace"),
            Map.entry("v1/ConfigMap", "V1ConfigMap"),
            Map.entry("v1/Service", "V1Service"),
            Map.entry("v1/PersistentVolumeClaim", "V1PersistentVolumeClaim"),
            Map.entry("apps/v1/Deployment", "V1Deployment"),
            Map.entry("batch/v1/Job", "V1Job"),
            Map.entry("batch/v1/CronJob", "V1CronJob"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"),
            Map.entry("policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy"),
            Map.entry("networking.k8s.io/v1/Ingress", "V1Ingress"));

    private KubernetesSchema() {
    }

    static boolean knows(JsonNode object) {
        return MODELS.containsKey(gvk(object));
    }

    /** Throws with the schema's complaint if {@code object} does not conform. */
    static void validate(JsonNode object) {
        String model = MODELS.get(gvk(object));
        if (model == null) {
            throw new IllegalArgumentException("Not a Kubernetes 1.32 built-in kind/version: " + gvk(object));
        }
        validate(model, object);
    }

    /** Validates {@code json} as the model class {@code model}, e.g. V1ObjectMeta. */
    static void validate(String model, JsonNode json) {
        try {
            Class<?> type = Class.forName("io.kubernetes.client.openapi.models." + model);
            Method validate = type.getMethod("validateJsonElement", com.google.gson.JsonElement.class);
            validate.invoke(null, JsonParser.parseString(Manifests.JSON.writeValueAsString(json)));
        } catch (InvocationTargetException e) {
            throw new SchemaViolation(e.getCause().getMessage());
        } catch (ReflectiveOperationException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String gvk(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    /** A schema violation, with the validator's own message. */
    static final class SchemaViolation extends RuntimeException {
        SchemaViolation(String message) {
            super(message);
        }
    }
}
