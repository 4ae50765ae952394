// Ensures Berth's platform topics exist, in one JVM (each Kafka tool JVM costs ~1.5 s,
// and berth-dev runs this on every `up`).
// Usage: java -cp '<kafka lib>/*' KafkaTopics.java <bootstrap> <partitions> <replication> <topic>...
//            [--compacted <topic>...]
// Topics after --compacted hold the latest record per key (the directories of decision 6): they
// are created with cleanup.policy=compact, and an existing one that is not compacted (made plain by
// an earlier run, or auto-created by a client) is set to it.
// Prints "created <topic>" for each topic it had to create and "compacted <topic>" for each it had
// to set to compact; nothing when all is as wanted.
// Exit 0 on success, 2 when the broker cannot be reached or a create or config change fails.

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

public class KafkaTopics {
    private static final String COMPACTED_FLAG = "--compacted";

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: KafkaTopics <bootstrap> <partitions> <replication> <topic>... [--compacted <topic>...]");
            System.exit(64);
        }
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        short replication = Short.parseShort(args[2]);
        List<String> rest = Arrays.asList(args).subList(3, args.length);
        int flag = rest.indexOf(COMPACTED_FLAG);
        List<String> plain = flag < 0 ? rest : rest.subList(0, flag);
        List<String> compacted = flag < 0 ? List.of() : rest.subList(flag + 1, rest.size());

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "berth-dev-topics");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(false))
                    .names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : plain) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication));
                }
            }
            for (String t : compacted) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
                }
            }
            create(admin, missing);
            compact(admin, compacted.stream().filter(existing::contains).toList());
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("kafka topics: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            System.exit(2);
        }
    }

    private static void create(Admin admin, List<NewTopic> missing) throws Exception {
        if (missing.isEmpty()) {
            return;
        }
        var result = admin.createTopics(missing);
        for (NewTopic t : missing) {
            try {
                result.values().get(t.name()).get(15, TimeUnit.SECONDS);
                System.out.println("created " + t.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** Sets cleanup.policy=compact on those of the topics that do not have it. */
    private static void compact(Admin admin, Collection<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(15, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy.value())) {
                changes.put(resource, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                        AlterConfigOp.OpType.SET)));
            }
        });
        if (changes.isEmpty()) {
            return;
        }
        admin.incrementalAlterConfigs(changes).all().get(15, TimeUnit.SECONDS);
        changes.keySet().forEach(resource -> System.out.println("compacted " + resource.name()));
    }
}
