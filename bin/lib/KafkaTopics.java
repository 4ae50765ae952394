// Ensures Berth's platform topics exist, in one JVM (each Kafka tool JVM costs ~1.5 s,
// and berth-dev runs this on every `up`).
// Usage: java -cp '<kafka lib>/*' KafkaTopics.java <bootstrap> <partitions> <replication> <topic>...
// Prints "created <topic>" for each topic it had to create, nothing when all exist.
// Exit 0 on success, 2 when the broker cannot be reached or a create fails.

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

public class KafkaTopics {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: KafkaTopics <bootstrap> <partitions> <replication> <topic>...");
            System.exit(64);
        }
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        short replication = Short.parseShort(args[2]);
        List<String> wanted = Arrays.asList(args).subList(3, args.length);

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "berth-dev-topics");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(false))
                    .names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : wanted) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication));
                }
            }
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
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("kafka topics: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            System.exit(2);
        }
    }
}
