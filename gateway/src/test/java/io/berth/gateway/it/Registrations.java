package io.berth.gateway.it;

import static io.restassured.RestAssured.given;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.kafka.CloudEventSerializer;
import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plays the registrar for the tests: writes the (fake) registry and publishes the registration event
 * on the real berth.registrations topic, in that order, as the registrar does.
 */
public final class Registrations implements AutoCloseable {
    private final KafkaProducer<String, CloudEvent> producer;
    private final String registrarUrl;
    private final Map<String, Map<String, InstanceRegistered>> registry = new ConcurrentHashMap<>();

    public Registrations() {
        var config = ConfigProvider.getConfig();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new CloudEventSerializer());
        registrarUrl = config.getValue("berth.test.registrar-url", String.class);
    }

    /** @return System.nanoTime() just before the event went to Kafka (the registration moment) */
    public long register(String app, String instance, int port, int weight) {
        InstanceRegistered event = new InstanceRegistered(app, instance, 1, "127.0.0.1", port, weight);
        writeRegistry(app, instance, event);
        return publish(event);
    }

    /** Only the registry learns of it (the event was lost): the periodic reconcile must find it. */
    public void registerWithoutEvent(String app, String instance, int port, int weight) {
        writeRegistry(app, instance, new InstanceRegistered(app, instance, 1, "127.0.0.1", port, weight));
    }

    /** @return System.nanoTime() just before the event went to Kafka */
    public long deregister(String app, String instance) {
        writeRegistry(app, instance, null);
        return publish(new InstanceDeregistered(app, instance, "test"));
    }

    /** A first send fetches the producer's metadata; doing it here keeps it out of the measurements. */
    public void warmUp() {
        publish(new InstanceDeregistered("warmup", "none", "test warm-up"));
        given().baseUri(registrarUrl).get("/api/registry/apps").then().statusCode(200);
    }

    private void writeRegistry(String app, String instance, InstanceRegistered event) {
        Map<String, InstanceRegistered> instances = registry.computeIfAbsent(app, a -> new ConcurrentHashMap<>());
        if (event == null) {
            instances.remove(instance);
        } else {
            instances.put(instance, event);
        }
        StringBuilder json = new StringBuilder("[");
        instances.values().forEach(i -> json.append(json.length() > 1 ? "," : "").append(String.format(
                "{\"instance\":\"%s\",\"app\":\"%s\",\"release\":%d,\"host\":\"%s\",\"port\":%d,\"weight\":%d,"
                        + "\"registered\":true,\"state\":\"READY\"}",
                i.instance(), i.app(), i.release(), i.host(), i.port(), i.weight())));
        given().baseUri(registrarUrl).contentType("application/json").body(json.append(']').toString())
                .put("/test/apps/" + app).then().statusCode(204);
    }

    private long publish(EventData data) {
        long at = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>("berth.registrations", data.app(), CloudEvent.of("/berth/test", data)))
                    .get(10, TimeUnit.SECONDS);
            return at;
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + data, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
