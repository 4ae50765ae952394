package io.berth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistrarRegistryReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsAppsInEitherShape() throws Exception {
        assertEquals(List.of("a", "b"), RegistrarRegistryReader.appNames(JSON.readTree("[\"a\", \"b\"]")));
        assertEquals(List.of("a", "b"), RegistrarRegistryReader.appNames(
                JSON.readTree("[{\"app\":\"a\",\"total\":3}, {\"name\":\"b\"}]")));
        assertEquals(List.of("a"), RegistrarRegistryReader.appNames(JSON.readTree("{\"apps\":[{\"app\":\"a\"}]}")));
    }

    @Test
    void keepsOnlyRegisteredInstancesAndIgnoresUnknownFields() throws Exception {
        AppPool pool = RegistrarRegistryReader.pool("shop", JSON.readTree("""
                [{"instance":"i1","app":"shop","release":2,"host":"127.0.0.1","port":20001,"weight":10,
                  "registered":true,"state":"READY","health":{"type":"http","path":"/ready"}},
                 {"id":"i2","host":"127.0.0.1","port":20002,"registered":false},
                 {"id":"i3","host":"127.0.0.1","port":20003,"somethingNew":[1,2]}]"""));
        assertEquals(List.of("i1", "i3"), List.copyOf(pool.members().keySet()));
        assertEquals(new Member("i1", 2, "127.0.0.1", 20001, 10), pool.members().get("i1"));
        assertEquals(100, pool.members().get("i3").weight());
        assertEquals(Optional.of("/ready"), pool.healthPath());
    }

    /** The shapes services/registrar's RegistryResource answers with (AppSummary, InstanceRegistration). */
    @Test
    void readsTheRegistrarsOwnShapes() throws Exception {
        assertEquals(List.of("shop"), RegistrarRegistryReader.appNames(JSON.readTree(
                "[{\"app\":\"shop\",\"instances\":3,\"ready\":2,\"registered\":2}]")));
        AppPool pool = RegistrarRegistryReader.pool("shop", JSON.readTree("""
                [{"instance":"shop-3-ab12c","app":"shop","release":3,"team":"t","state":"RUNNING","host":"127.0.0.1",
                  "port":20001,"weight":100,"registered":true,"backends":{"dns":true}},
                 {"instance":"shop-3-zz","app":"shop","release":3,"team":"t","state":"STARTING","host":"127.0.0.1",
                  "port":20002,"weight":100,"registered":false,"backends":{"dns":false}},
                 {"instance":"shop-2-old","app":"shop","release":2,"team":"t","state":"GONE","host":"127.0.0.1",
                  "port":20003,"weight":10,"registered":true,"backends":{"dns":true}}]"""));
        assertEquals(List.of("shop-2-old", "shop-3-ab12c"), List.copyOf(pool.members().keySet()));
        assertEquals(10, pool.members().get("shop-2-old").weight());
    }
}
