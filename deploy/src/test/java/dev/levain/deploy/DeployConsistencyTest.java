package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.levain.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifests agree with the code they deploy: ports, probes and environment with each service's
 * application.properties and README, one ingest Deployment per source with that source's secrets,
 * the topics with {@link Topics#ALL}, the database roles with DESIGN.md §3, and the security and
 * availability rules of issue 7 (non-root, read-only root, budgets, autoscaling, network policies).
 */
class DeployConsistencyTest {

    private static final Set<String> PLATFORM_VARIABLES = Set.of(
            "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
            "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_FLYWAY_MIGRATE_AT_START");
    private static final List<String> SECRET_SETTING_SUFFIXES = List.of(
            "signing-secrets", "signature-key", "access-token", "api-token", ".tokens");
    private static final Set<String> WRITER_ROLES = Set.of(
            "levain_ingest_writer", "levain_normalize_writer", "levain_alert_writer", "levain_api_writer");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentsMatchTheirServiceConfiguration(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        assertThat(manifests.ofKind("Deployment")).extracting(DeployConsistencyTest::module).containsOnly(
                "ingest-service", "normalize-service", "alert-service", "api-service");
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            ServiceSettings settings = ServiceSettings.of(module(deployment));
            JsonNode container = app(deployment);
            String what = overlay + " " + Manifests.describe(deployment);

            assertThat(port(container, "http")).as(what + " port http = quarkus.http.port").isEqualTo(settings.httpPort());
            assertThat(probe(container, "startupProbe")).as(what).isEqualTo("/q/health/started on http");
            assertThat(probe(container, "livenessProbe")).as(what).isEqualTo("/q/health/live on http");
            assertThat(probe(container, "readinessProbe")).as(what).isEqualTo("/q/health/ready on http");

            Map<String, JsonNode> env = env(container);
            assertThat(env.containsKey("KAFKA_BOOTSTRAP_SERVERS")).as(what + " has Kafka settings").isEqualTo(settings.usesKafka());
            assertThat(env.containsKey("QUARKUS_DATASOURCE_JDBC_URL")).as(what + " has a JDBC URL").isEqualTo(settings.usesDatabase());
            if (settings.migrates()) {
                assertThat(env.getOrDefault("QUARKUS_FLYWAY_MIGRATE_AT_START", MissingNode.getInstance()).path("value").asText())
                        .as(what + " leaves migrations to the Job levain-migrate").isEqualTo("false");
            }
            for (String credential : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                if (env.containsKey(credential)) {
                    assertThat(env.get(credential).has("secretKeyRef")).as(what + " " + credential + " from a Secret").isTrue();
                }
            }
            Set<String> known = settings.environmentVariables();
            known.addAll(PLATFORM_VARIABLES);
            assertThat(env.keySet()).as(what + ": variables the service reads").isSubsetOf(known);
            env.forEach((name, source) -> {
                if (source.has("configMapKeyRef")) {
                    JsonNode map = manifests.named("ConfigMap", source.at("/configMapKeyRef/name").asText());
                    assertThat(map.path("data").has(source.at("/configMapKeyRef/key").asText())).as(what + " " + name).isTrue();
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachIngestSourceRunsAloneWithItsOwnSecrets(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        ServiceSettings ingest = ServiceSettings.of("ingest-service");
        List<String> sources = Arrays.asList(ingest.prod("levain.ingest.sources").split(","));
        Map<String, Map<String, JsonNode>> envBySource = new HashMap<>();
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            if (module(deployment).equals("ingest-service")) {
                Map<String, JsonNode> env = env(app(deployment));
                envBySource.put(env.get("LEVAIN_INGEST_SOURCES").path("value").asText(), env);
            }
        }
        assertThat(envBySource.keySet()).containsExactlyInAnyOrderElementsOf(sources);
        for (String source : sources) {
            Map<String, JsonNode> env = envBySource.get(source);
            for (String setting : ingest.levainSettings()) {
                if (!isSecretSetting(setting)) {
                    continue;
                }
                String variable = ServiceSettings.environmentName(setting);
                boolean own = setting.startsWith("levain.ingest." + source + ".") || setting.equals("levain.ingest.uploads.tokens");
                assertThat(env.containsKey(variable)).as(overlay + " ingest " + source + " sets " + variable).isEqualTo(own);
                if (own) {
                    assertThat(env.get(variable).has("secretKeyRef")).as(variable + " comes from a Secret").isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void secretsAreReferencedAndDocumentedNeverCommitted(String overlay) throws IOException {
        Manifests manifests = Manifests.build(overlay);
        assertThat(manifests.ofKind("Secret")).as("Secrets are created by hand (deploy/README.md), never committed").isEmpty();
        String readme = Files.readString(Manifests.deployDir().resolve("README.md"));
        Map<String, Set<String>> referenced = secretReferences(manifests);
        assertThat(referenced).isNotEmpty();
        referenced.forEach((secret, keys) -> {
            String command = createSecretCommand(readme, secret);
            assertThat(command).as("deploy/README.md creates Secret " + secret).isNotNull();
            for (String key : keys) {
                assertThat(command).as("README's Secret " + secret + " has key " + key)
                        .containsAnyOf("--from-literal=" + key + "=", "--from-file=" + key + "=");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void databaseRolesFollowTheDesign(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        JsonNode cluster = manifests.ofKind("Cluster").get(0);
        assertThat(cluster.at("/spec/bootstrap/initdb/owner").asText()).isEqualTo("levain_owner");
        assertThat(cluster.at("/spec/bootstrap/initdb/database").asText()).isEqualTo("levain");
        Map<String, String> roleSecrets = new HashMap<>();
        for (JsonNode role : cluster.at("/spec/managed/roles")) {
            assertThat(role.path("login").asBoolean()).as(role.path("name").asText() + " can log in").isTrue();
            assertThat(role.path("ensure").asText()).isEqualTo("present");
            roleSecrets.put(role.path("name").asText(), role.at("/passwordSecret/name").asText());
        }
        Set<String> expectedRoles = new HashSet<>(WRITER_ROLES);
        expectedRoles.add("levain_reporting");
        assertThat(roleSecrets.keySet()).containsExactlyInAnyOrderElementsOf(expectedRoles);
        assertThat(manifests.named("ConfigMap", "levain-config").at("/data/QUARKUS_DATASOURCE_JDBC_URL").asText())
                .isEqualTo("jdbc:postgresql://" + Manifests.name(cluster) + "-rw:5432/levain");

        String ownerSecret = cluster.at("/spec/bootstrap/initdb/secret/name").asText();
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            Map<String, JsonNode> env = env(app(deployment));
            String role = "levain_" + deployment.at("/metadata/labels/app.kubernetes.io~1component").asText() + "_writer";
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME").at("/secretKeyRef/name").asText())
                    .as(Manifests.describe(deployment) + " connects as " + role).isEqualTo(roleSecrets.get(role));
            assertThat(secretReferences(List.of(deployment)))
                    .as(Manifests.describe(deployment) + " never holds the owner's credentials").doesNotContainKey(ownerSecret);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void migrationsRunOnceAsTheOwnerInTheirJobBeforeTheServices(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        String ownerSecret = manifests.ofKind("Cluster").get(0).at("/spec/bootstrap/initdb/secret/name").asText();
        JsonNode job = manifests.named("Job", "levain-migrate");
        JsonNode pod = job.at("/spec/template/spec");
        List<JsonNode> steps = new ArrayList<>();
        pod.path("initContainers").forEach(steps::add);
        pod.path("containers").forEach(steps::add);
        List<String> migrating = manifests.ofKind("Deployment").stream().map(DeployConsistencyTest::module).distinct()
                .filter(module -> ServiceSettings.of(module).migrates()).toList();
        assertThat(steps.stream().map(step -> step.path("name").asText()).toList())
                .as("every schema migrated, core first (the others read it)").containsExactlyInAnyOrderElementsOf(migrating)
                .startsWith("normalize-service");
        for (JsonNode step : steps) {
            Map<String, JsonNode> env = env(step);
            String what = overlay + " migration " + step.path("name").asText();
            assertThat(step.path("image").asText()).as(what).contains("/" + step.path("name").asText() + ":");
            assertThat(env.getOrDefault("QUARKUS_INIT_AND_EXIT", MissingNode.getInstance()).path("value").asText()).as(what + " exits once migrated").isEqualTo("true");
            assertThat(env.getOrDefault("QUARKUS_FLYWAY_MIGRATE_AT_START", MissingNode.getInstance()).path("value").asText()).as(what).isEqualTo("true");
            for (String credential : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                assertThat(env.getOrDefault(credential, MissingNode.getInstance()).at("/secretKeyRef/name").asText()).as(what + " as the owner").isEqualTo(ownerSecret);
            }
        }
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(job.at("/metadata/labels/levain.dev~1workload").asText()).isEqualTo("migration");
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            assertThat(deployment.at("/metadata/labels/levain.dev~1workload").asText())
                    .as(Manifests.describe(deployment) + " applied after the migrations (deploy/README.md)").isEqualTo("service");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicIsDeclaredWithItsRetentionAndReplication(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        String kafka = Manifests.name(manifests.ofKind("Kafka").get(0));
        int brokers = manifests.ofKind("KafkaNodePool").stream()
                .filter(pool -> pool.at("/spec/roles").toString().contains("broker"))
                .mapToInt(pool -> pool.at("/spec/replicas").asInt()).sum();
        Map<String, JsonNode> topics = new LinkedHashMap<>();
        for (JsonNode topic : manifests.ofKind("KafkaTopic")) {
            topics.put(topic.at("/spec/topicName").asText(Manifests.name(topic)), topic);
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(kafka);
            int replicas = topic.at("/spec/replicas").asInt();
            int minIsr = topic.at("/spec/config/min.insync.replicas").asInt();
            assertThat(replicas).as(Manifests.describe(topic) + " replicas").isBetween(1, brokers);
            assertThat(minIsr).as(Manifests.describe(topic) + " min.insync.replicas").isBetween(Math.min(2, replicas), replicas);
            if (replicas > 1) {
                assertThat(minIsr).as("acks=all must survive one broker's loss").isLessThan(replicas);
            }
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        for (String raw : Topics.RAW) {
            assertThat(topics.get(raw).at("/spec/config/retention.ms").asText()).as(raw + " kept forever").isEqualTo("-1");
        }

        int rawPartitions = Topics.RAW.stream().mapToInt(raw -> topics.get(raw).at("/spec/partitions").asInt()).min().orElseThrow();
        JsonNode normalize = autoscalerOf(manifests, "normalize-service");
        assertThat(normalize.at("/spec/maxReplicas").asInt()).as("normalize consumers beyond the partitions idle")
                .isLessThanOrEqualTo(rawPartitions);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentsScaleAndSurviveDisruptions(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
            long budgets = manifests.ofKind("PodDisruptionBudget").stream()
                    .filter(pdb -> selects(pdb.at("/spec/selector/matchLabels"), podLabels)).count();
            assertThat(budgets).as(Manifests.describe(deployment) + " has one PodDisruptionBudget").isEqualTo(1);
            String component = deployment.at("/metadata/labels/app.kubernetes.io~1component").asText();
            if (component.equals("ingest") || component.equals("normalize")) {
                JsonNode hpa = autoscalerOf(manifests, Manifests.name(deployment));
                assertThat(hpa.at("/spec/minReplicas").asInt()).isBetween(1, hpa.at("/spec/maxReplicas").asInt());
            }
        }
        for (JsonNode hpa : manifests.ofKind("HorizontalPodAutoscaler")) {
            manifests.named("Deployment", hpa.at("/spec/scaleTargetRef/name").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podsRunAsNonRootOnReadOnlyRootWithLimits(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        List<JsonNode> pods = new ArrayList<>();
        manifests.ofKind("Deployment").forEach(d -> pods.add(d.at("/spec/template/spec")));
        manifests.ofKind("CronJob").forEach(c -> pods.add(c.at("/spec/jobTemplate/spec/template/spec")));
        manifests.ofKind("Job").forEach(j -> pods.add(j.at("/spec/template/spec")));
        assertThat(pods).hasSize(8);
        for (JsonNode pod : pods) {
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
            // With the checks below: the restricted Pod Security profile.
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            Set<String> emptyDirs = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(v -> v.has("emptyDir")).map(v -> v.path("name").asText()).collect(Collectors.toSet());
            List<JsonNode> containers = new ArrayList<>();
            pod.path("initContainers").forEach(containers::add);
            pod.path("containers").forEach(containers::add);
            for (JsonNode container : containers) {
                String what = overlay + " container " + container.path("name").asText() + " of " + container.path("image").asText();
                assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
                assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
                assertThat(container.at("/securityContext/capabilities/drop").toString()).as(what).contains("ALL");
                assertThat(StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                        .anyMatch(m -> m.path("mountPath").asText().equals("/tmp") && emptyDirs.contains(m.path("name").asText())))
                        .as(what + " has an emptyDir at /tmp").isTrue();
                assertThat(container.at("/resources/requests/cpu").isMissingNode()).as(what + " requests cpu").isFalse();
                assertThat(container.at("/resources/requests/memory").isMissingNode()).as(what + " requests memory").isFalse();
                assertThat(container.at("/resources/limits/memory").isMissingNode()).as(what + " limits memory").isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyIngestAndApiAreReachableFromOutside(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        Map<String, String> componentOfService = new HashMap<>();
        for (JsonNode service : manifests.ofKind("Service")) {
            JsonNode deployment = manifests.ofKind("Deployment").stream()
                    .filter(d -> selects(service.at("/spec/selector"), d.at("/spec/template/metadata/labels")))
                    .findFirst().orElseThrow(() -> new AssertionError(Manifests.describe(service) + " selects no Deployment"));
            componentOfService.put(Manifests.name(service), deployment.at("/metadata/labels/app.kubernetes.io~1component").asText());
        }
        Set<String> exposed = new HashSet<>();
        for (JsonNode ingress : manifests.ofKind("Ingress")) {
            ingress.at("/spec/rules").forEach(rule -> rule.at("/http/paths").forEach(path ->
                    exposed.add(componentOfService.get(path.at("/backend/service/name").asText()))));
        }
        assertThat(exposed).containsExactlyInAnyOrder("ingest", "api");
        assertThat(manifests.named("Deployment", "normalize-service").at("/metadata/labels/app.kubernetes.io~1component").asText())
                .isEqualTo("normalize");

        JsonNode denyAll = manifests.named("NetworkPolicy", "default-deny-ingress");
        assertThat(denyAll.at("/spec/podSelector").isEmpty()).isTrue();
        assertThat(denyAll.at("/spec/ingress").isMissingNode()).isTrue();
        for (JsonNode policy : manifests.ofKind("NetworkPolicy")) {
            boolean fromOtherNamespaces = policy.at("/spec/ingress").toString().contains("namespaceSelector");
            boolean toDatabase = policy.at("/spec/podSelector/matchLabels").has("cnpg.io/cluster");
            // Prometheus' scrape is checked by ObservabilityTest: from the monitoring namespace, port http only.
            boolean scrape = Manifests.name(policy).equals("allow-prometheus-scrape");
            if (fromOtherNamespaces && !toDatabase && !scrape) {
                assertThat(policy.at("/spec/podSelector/matchExpressions/0/values").toString())
                        .as(Manifests.describe(policy)).isEqualTo("[\"ingest\",\"api\"]");
            }
        }

        JsonNode database = manifests.named("NetworkPolicy", "postgres-clients-only");
        List<String> databasePeers = new ArrayList<>();
        database.at("/spec/ingress").forEach(rule -> rule.path("from").forEach(peer -> databasePeers.add(peer.toString())));
        assertThat(databasePeers).containsExactlyInAnyOrder(
                "{\"podSelector\":{\"matchLabels\":{\"levain.dev/db-client\":\"true\"}}}",
                "{\"podSelector\":{\"matchLabels\":{\"cnpg.io/cluster\":\"" + Manifests.name(manifests.ofKind("Cluster").get(0)) + "\"}}}",
                "{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"cnpg-system\"}}}");
        JsonNode kafkaPeers = manifests.ofKind("Kafka").get(0).at("/spec/kafka/listeners/0/networkPolicyPeers");
        assertThat(kafkaPeers.toString()).isEqualTo("[{\"podSelector\":{\"matchLabels\":{\"levain.dev/kafka-client\":\"true\"}}}]");
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            ServiceSettings settings = ServiceSettings.of(module(deployment));
            JsonNode labels = deployment.at("/spec/template/metadata/labels");
            assertThat(labels.path("levain.dev/db-client").asText("false")).as(Manifests.describe(deployment) + " reaches PostgreSQL")
                    .isEqualTo(String.valueOf(settings.usesDatabase()));
            assertThat(labels.path("levain.dev/kafka-client").asText("false")).as(Manifests.describe(deployment) + " reaches Kafka")
                    .isEqualTo(String.valueOf(settings.usesKafka()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void apiCallsTheAdminApisWithTheirOwnTokensAndMayReachThem(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        Map<String, JsonNode> api = env(app(manifests.named("Deployment", "api-service")));
        Map<String, String> calls = Map.of("normalize-service", "LEVAIN_NORMALIZE_ADMIN_TOKENS",
                "alert-service", "LEVAIN_ALERT_ADMIN_TOKEN");
        calls.forEach((service, tokenVariable) -> {
            String prefix = "LEVAIN_API_" + service.substring(0, service.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
            JsonNode own = env(app(manifests.named("Deployment", service))).get(tokenVariable);
            assertThat(own).as(overlay + " " + service + " reads its admin token " + tokenVariable).isNotNull();
            assertThat(api.get(prefix + "_TOKEN").path("secretKeyRef")).as("api-service sends " + service + "'s own token")
                    .isEqualTo(own.path("secretKeyRef"));
            JsonNode url = api.get(prefix + "_URL").path("configMapKeyRef");
            String value = manifests.named("ConfigMap", url.path("name").asText()).at("/data/" + url.path("key").asText()).asText();
            JsonNode target = manifests.named("Service", service);
            assertThat(value).as(prefix + "_URL").isEqualTo("http://" + service
                    + (target.at("/spec/ports/0/port").asInt() == 80 ? "" : ":" + target.at("/spec/ports/0/port").asInt()));
            JsonNode podLabels = manifests.named("Deployment", service).at("/spec/template/metadata/labels");
            assertThat(manifests.ofKind("NetworkPolicy").stream().anyMatch(policy -> admits(policy, podLabels, "api")))
                    .as(overlay + ": a NetworkPolicy lets api-service reach " + service + " on port http").isTrue();
        });

        // The JWT verification key is a file from a Secret volume.
        JsonNode apiDeployment = manifests.named("Deployment", "api-service");
        String keyFile = api.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").path("value").asText();
        JsonNode mount = StreamSupport.stream(app(apiDeployment).path("volumeMounts").spliterator(), false)
                .filter(m -> keyFile.startsWith(m.path("mountPath").asText() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mounted where " + keyFile + " is"));
        JsonNode volume = StreamSupport.stream(apiDeployment.at("/spec/template/spec/volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
        assertThat(volume.at("/secret/secretName").asText()).as("the key comes from a Secret").isNotEmpty();
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        assertThat(StreamSupport.stream(volume.at("/secret/items").spliterator(), false).map(i -> i.path("path").asText()))
                .contains(keyFile.substring(mount.path("mountPath").asText().length() + 1));
    }

    /** Whether {@code policy} admits pods of {@code component} to pods labelled {@code podLabels} on port http. */
    private static boolean admits(JsonNode policy, JsonNode podLabels, String component) {
        JsonNode selector = policy.at("/spec/podSelector");
        boolean selected = selects(selector.path("matchLabels"), podLabels)
                || StreamSupport.stream(selector.path("matchExpressions").spliterator(), false).anyMatch(e ->
                e.path("operator").asText().equals("In") && e.path("values").toString()
                        .contains("\"" + podLabels.path(e.path("key").asText()).asText() + "\""));
        if (!selected) {
            return false;
        }
        for (JsonNode rule : policy.at("/spec/ingress")) {
            boolean fromComponent = StreamSupport.stream(rule.path("from").spliterator(), false).anyMatch(peer ->
                    component.equals(peer.at("/podSelector/matchLabels/app.kubernetes.io~1component").asText()));
            boolean onHttp = StreamSupport.stream(rule.path("ports").spliterator(), false)
                    .anyMatch(port -> port.path("port").asText().equals("http"));
            if (fromComponent && onHttp) {
                return true;
            }
        }
        return false;
    }

    static String module(JsonNode deployment) {
        return deployment.at("/metadata/labels/app.kubernetes.io~1name").asText();
    }

    static JsonNode app(JsonNode deployment) {
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertThat(containers).as(Manifests.describe(deployment) + " containers").hasSize(1);
        assertThat(containers.get(0).path("name").asText()).isEqualTo("app");
        return containers.get(0);
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("No port named " + name);
    }

    private static String probe(JsonNode container, String probe) {
        JsonNode get = container.path(probe).path("httpGet");
        return get.path("path").asText() + " on " + get.path("port").asText();
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode previous = env.put(variable.path("name").asText(), variable.has("valueFrom") ? variable.path("valueFrom") : variable);
            assertThat(previous).as("variable " + variable.path("name").asText() + " set twice").isNull();
        }
        return env;
    }

    private static boolean isSecretSetting(String setting) {
        return SECRET_SETTING_SUFFIXES.stream().anyMatch(setting::endsWith);
    }

    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (var entry : selector.properties()) {
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode autoscalerOf(Manifests manifests, String deployment) {
        return manifests.ofKind("HorizontalPodAutoscaler").stream()
                .filter(hpa -> hpa.at("/spec/scaleTargetRef/name").asText().equals(deployment))
                .findFirst().orElseThrow(() -> new AssertionError(deployment + " has no HorizontalPodAutoscaler"));
    }

    /** Secret name → keys read from it, over every kind that names a Secret. */
    private static Map<String, Set<String>> secretReferences(Manifests manifests) {
        Map<String, Set<String>> refs = secretReferences(manifests.objects());
        for (JsonNode cluster : manifests.ofKind("Cluster")) {
            Set<String> basicAuth = Set.of("username", "password");
            cluster.at("/spec/managed/roles").forEach(role ->
                    refs.computeIfAbsent(role.at("/passwordSecret/name").asText(), k -> new HashSet<>()).addAll(basicAuth));
            refs.computeIfAbsent(cluster.at("/spec/bootstrap/initdb/secret/name").asText(), k -> new HashSet<>()).addAll(basicAuth);
            cluster.at("/spec/backup/barmanObjectStore/s3Credentials").forEach(credential ->
                    refs.computeIfAbsent(credential.path("name").asText(), k -> new HashSet<>()).add(credential.path("key").asText()));
        }
        for (JsonNode ingress : manifests.ofKind("Ingress")) {
            ingress.at("/spec/tls").forEach(tls -> refs.computeIfAbsent(tls.path("secretName").asText(), k -> new HashSet<>()));
        }
        return refs;
    }

    /** Secret name → keys read from it by the workloads among {@code objects} (variables and volumes). */
    private static Map<String, Set<String>> secretReferences(List<JsonNode> objects) {
        Map<String, Set<String>> refs = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            object.findParents("secretKeyRef").forEach(parent -> refs
                    .computeIfAbsent(parent.at("/secretKeyRef/name").asText(), k -> new HashSet<>())
                    .add(parent.at("/secretKeyRef/key").asText()));
        }
        for (JsonNode volume : objects.stream().flatMap(o -> o.findValues("volumes").stream())
                .flatMap(volumes -> StreamSupport.stream(volumes.spliterator(), false)).filter(v -> v.has("secret")).toList()) {
            Set<String> keys = refs.computeIfAbsent(volume.at("/secret/secretName").asText(), k -> new HashSet<>());
            volume.at("/secret/items").forEach(item -> keys.add(item.path("key").asText()));
        }
        return refs;
    }

    /** The README's {@code kubectl create secret} command for {@code secret}, continuation lines joined. */
    private static String createSecretCommand(String readme, String secret) {
        String joined = readme.replace("\\\n", " ");
        for (String line : joined.split("\n")) {
            if (line.contains("create secret") && line.matches(".*create secret [a-z-]+ " + secret + "( .*|$)")) {
                return line;
            }
        }
        return null;
    }
}
